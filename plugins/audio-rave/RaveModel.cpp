#include "RaveModel.h"

#include <ATen/ATen.h>

#include <cmath>

#include "LatentTrajectory.h"
#include "latent/Error.h"

namespace latent {
namespace {

LatentEdit readEdit(const JobInputs& in, int dims) {
    const auto check = [&](const std::vector<float>& v, const char* what) {
        if (!v.empty() && int(v.size()) != dims)
            throw Error(ErrorKind::BadArgument, std::string("the latent ") + what + " has " + std::to_string(v.size()) +
                                                    " values; this model has " + std::to_string(dims) +
                                                    " latent dimensions");
        for (float x : v)
            if (!std::isfinite(x) || std::abs(x) > 1e4)
                throw Error(ErrorKind::BadArgument, std::string("the latent ") + what + " holds an absurd value");
    };
    check(in.latentOffset, "offset");
    check(in.latentScale, "scale");
    return LatentEdit{in.latentOffset, in.latentScale};
}

}  // namespace

void RaveModel::run(JobContext& ctx) {
    std::lock_guard lock(m_mutex);
    m_module.resetState();
    const LatentEdit edit = readEdit(ctx.inputs(), m_module.signature().latentDims());
    const std::string& task = ctx.task();
    if (task == "audio.sample") sample(ctx, edit);
    else if (task == "audio.transfer") transfer(ctx, edit, true);
    else if (task == "audio.encode") transfer(ctx, edit, false);
    else if (task == "audio.decode") decode(ctx, edit);
    else throw Error(ErrorKind::BadArgument, "the audio-rave family has no task '" + task + "'");
}

void RaveModel::sample(JobContext& ctx, const LatentEdit& edit) {
    const RaveSignature& sig = m_module.signature();
    const std::int64_t audioFrames = std::int64_t(std::llround(ctx.floatParam("duration_s") * sig.sampleRateHz));
    const std::int64_t frames = std::max<std::int64_t>(1, (audioFrames + sig.hop() - 1) / sig.hop());
    const double temperature = ctx.floatParam("temperature");
    std::string source = ctx.stringParam("latent_source");
    if (source == "auto") source = sig.prior ? "prior" : "random";
    LatentStore store(sig.latentDims());
    if (source == "prior") {
        if (!sig.prior) throw Error(ErrorKind::BadArgument, "this model exports no prior: choose the random latent source");
        // The prior is driven by a temperature signal at its input rate, in blocks.
        const BlockPlan plan = BlockPlan::forModel(sig);
        const RaveMethod& p = *sig.prior;
        at::manual_seed(ctx.seed());  // priors sample with torch's global generator
        while (store.frames() < frames) {
            const std::int64_t n = std::min(plan.block, frames - store.frames());
            const std::int64_t inFrames = n * p.outRatio / p.inRatio;
            store.append(m_module.prior(at::full({1, p.inChannels, inFrames}, temperature, at::kFloat)));
            ctx.throwIfStopped();
        }
    } else if (source == "random") {
        store.append(randomLatentTrajectory(sig.latentDims(), frames, sig.latentRateHz(), ctx.floatParam("smoothness_s"),
                                            temperature, ctx.seed()));
    } else {
        throw Error(ErrorKind::BadArgument, "unknown latent source '" + source + "'");
    }
    LatentRenderer(m_module, ctx, edit).render(store, nullptr, audioFrames, LatentReport::FirstBlock);
}

std::unique_ptr<AudioSource> RaveModel::inputSource(JobContext& ctx) {
    const RaveSignature& sig = m_module.signature();
    const JobInputs& in = ctx.inputs();
    std::unique_ptr<AudioSource> source;
    if (!in.audioFile.empty()) {
        source = makeFileSource(in.audioFile, sig.sampleRateHz, sig.encode.inChannels);
    } else if (in.audio && in.audio->samples && in.audio->channels > 0) {
        AudioClip clip;
        clip.sampleRateHz = in.audio->sampleRateHz;
        clip.channels = in.audio->channels;
        clip.samples = *in.audio->samples;
        source = makeClipSource(clip, sig.sampleRateHz, sig.encode.inChannels);
    } else {
        throw Error(ErrorKind::BadArgument, "this task needs input audio: open or drop a sound file in the Audio panel, or give --input");
    }
    for (const auto& notice : source->notices()) ctx.log(LogLevel::Info, "input " + notice);
    return source;
}

void RaveModel::transfer(JobContext& ctx, const LatentEdit& edit, bool decode) {
    LatentStore store(m_module.signature().latentDims());
    LatentEncoder encoder(m_module, inputSource(ctx), store);
    encoder.ensure(1);
    if (store.frames() == 0) throw Error(ErrorKind::BadArgument, "the input audio is empty");
    if (decode) {
        LatentRenderer(m_module, ctx, edit).render(store, &encoder, -1, LatentReport::FinalBlock);
    } else {
        // Encode only: the path comes back on one empty final block.
        const std::int64_t total = encoder.totalLatentFrames();
        while (!encoder.ended()) {
            ctx.throwIfStopped();
            encoder.ensure(store.frames() + 1);
            if (total > 0) ctx.progress(std::min(store.frames(), total), total, "encoding");
        }
        AudioBlock block;
        block.sampleRateHz = m_module.signature().sampleRateHz;
        block.channels = m_module.signature().audioChannels();
        block.totalFrames = encoder.inputFrames();
        block.samples = makeSharedFloats({});
        block.final = true;
        block.latent = makeSharedFloats(store.values());
        block.latentDims = store.dims();
        ctx.emit(std::move(block));
    }
}

void RaveModel::decode(JobContext& ctx, const LatentEdit& edit) {
    const int dims = m_module.signature().latentDims();
    const auto& latent = ctx.inputs().latent;
    if (latent.empty() || latent.size() % std::size_t(dims) != 0)
        throw Error(ErrorKind::BadArgument, "decode needs a latent path of frames of " + std::to_string(dims) +
                                                " values (this one has " + std::to_string(latent.size()) + ")");
    LatentStore store(dims, latent);
    LatentRenderer(m_module, ctx, edit).render(store, nullptr, -1, LatentReport::FirstBlock);
}

}  // namespace latent
