#include "LatentRenderer.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace latent {

at::Tensor LatentEdit::apply(const at::Tensor& z) const {
    const auto dims = z.size(1);
    at::Tensor out = z;
    if (!scale.empty())
        out = out * at::from_blob(const_cast<float*>(scale.data()), {1, dims, 1}, at::kFloat).clone();
    if (!offset.empty())
        out = out + at::from_blob(const_cast<float*>(offset.data()), {1, dims, 1}, at::kFloat).clone();
    return out;
}

LatentRenderer::LatentRenderer(RaveModule& module, JobContext& ctx, LatentEdit edit)
    : m_module(module), m_ctx(ctx), m_edit(std::move(edit)) {}

void LatentRenderer::render(LatentStore& store, LatentEncoder* encoder, std::int64_t audioFrames, LatentReport report) {
    const RaveSignature& sig = m_module.signature();
    const BlockPlan plan = BlockPlan::forModel(sig);
    const std::int64_t hop = sig.hop();
    const int channels = sig.audioChannels();
    const auto latentTotal = [&]() -> std::int64_t {
        if (!encoder) return store.frames();
        return encoder->ended() ? store.frames() : encoder->totalLatentFrames();
    };
    const auto audioTotal = [&]() -> std::int64_t {
        if (audioFrames >= 0) return audioFrames;
        if (!encoder) return store.frames() * hop;
        return encoder->ended() ? encoder->inputFrames() : encoder->source().totalFrames();
    };
    std::int64_t a = 0;
    bool reported = false, finalSent = false;
    for (;;) {
        m_ctx.throwIfStopped();
        std::int64_t b = a + plan.blockAt(a);
        if (encoder) encoder->ensure(b + plan.context);
        b = std::min(b, store.frames());
        const std::int64_t limit = audioTotal();
        if (a >= b || (limit >= 0 && a * hop >= limit)) break;
        const std::int64_t s = std::max<std::int64_t>(0, a - plan.context);
        const std::int64_t e = std::min(b + plan.context, store.frames());
        at::Tensor z = store.slice(s, e);
        if (!m_edit.empty()) z = m_edit.apply(z);
        const at::Tensor audio = m_module.decode(z).narrow(2, (a - s) * hop, (b - a) * hop);
        std::int64_t frames = (b - a) * hop;
        if (limit >= 0) frames = std::min(frames, limit - a * hop);
        const at::Tensor interleaved = audio.narrow(2, 0, frames).squeeze(0).t().contiguous();
        const float* p = interleaved.data_ptr<float>();

        AudioBlock block;
        block.sampleRateHz = sig.sampleRateHz;
        block.channels = channels;
        block.startFrame = a * hop;
        block.samples = makeSharedFloats(std::vector<float>(p, p + frames * channels));
        const bool ended = (!encoder || encoder->ended()) && (b >= store.frames() || (limit >= 0 && b * hop >= limit));
        block.final = ended;
        const std::int64_t total = audioTotal();
        block.totalFrames = total >= 0 && (encoder == nullptr || encoder->ended() || encoder->source().totalFrames() >= 0)
                                ? total
                                : -1;
        if (!reported && (report == LatentReport::FirstBlock || (report == LatentReport::FinalBlock && ended))) {
            block.latent = makeSharedFloats(store.values());
            block.latentDims = store.dims();
            reported = true;
        }
        m_ctx.emit(std::move(block));
        finalSent = ended;
        const std::int64_t latentAll = latentTotal();
        if (total > 0) m_ctx.progress(std::min(b * hop, total), total, "decoding");
        else if (latentAll > 0) m_ctx.progress(b, latentAll, "decoding");
        a = b;
        if (ended) break;
        // A newer slider value waits on this lane: stop here rather than finish.
        if (m_ctx.stale()) return;
    }
    if (finalSent) return;
    // The input's end showed only after its last block went out (a file of
    // unknown length): an empty block says so, with the latent if it is due.
    AudioBlock last;
    last.sampleRateHz = sig.sampleRateHz;
    last.channels = channels;
    const std::int64_t total = audioTotal();
    last.startFrame = total >= 0 ? std::min(a * hop, total) : a * hop;
    last.totalFrames = total >= 0 ? total : a * hop;
    last.samples = makeSharedFloats({});
    last.final = true;
    if (!reported) {
        last.latent = makeSharedFloats(store.values());
        last.latentDims = store.dims();
    }
    m_ctx.emit(std::move(last));
}

}  // namespace latent
