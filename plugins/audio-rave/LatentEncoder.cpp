#include "LatentEncoder.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace latent {

LatentEncoder::LatentEncoder(RaveModule& module, std::unique_ptr<AudioSource> source, LatentStore& store)
    : m_module(module),
      m_source(std::move(source)),
      m_store(store),
      m_plan(BlockPlan::forModel(module.signature())),
      m_channels(module.signature().encode.inChannels),
      m_hop(module.signature().hop()) {}

std::int64_t LatentEncoder::totalLatentFrames() const {
    if (m_sourceDone) return (m_inputFrames + m_hop - 1) / m_hop;
    const std::int64_t total = m_source->totalFrames();
    return total < 0 ? -1 : (total + m_hop - 1) / m_hop;
}

void LatentEncoder::readUntil(std::int64_t frame) {
    while (!m_sourceDone && m_bufferStart + std::int64_t(m_buffer.size()) / m_channels < frame) {
        const std::int64_t want = frame - (m_bufferStart + std::int64_t(m_buffer.size()) / m_channels);
        std::vector<float> got = m_source->read(std::max<std::int64_t>(want, 4096));
        if (got.empty()) m_sourceDone = true;
        m_inputFrames += std::int64_t(got.size()) / m_channels;
        m_buffer.insert(m_buffer.end(), got.begin(), got.end());
    }
}

void LatentEncoder::ensure(std::int64_t frames) {
    while (!m_ended && m_store.frames() < frames) encodeBlock();
}

void LatentEncoder::encodeBlock() {
    const std::int64_t a = m_store.frames();
    std::int64_t b = a + m_plan.blockAt(a);
    readUntil((b + m_plan.context) * m_hop);
    const std::int64_t total = totalLatentFrames();
    if (m_sourceDone) b = std::min(b, total);
    if (a >= b) {
        m_ended = true;
        return;
    }
    // The span run through the model: the block and its context, zero-padded
    // past the end of the input to whole latent frames.
    const std::int64_t s = std::max<std::int64_t>(0, a - m_plan.context);
    const std::int64_t e = m_sourceDone ? std::min(b + m_plan.context, total) : b + m_plan.context;
    at::Tensor span = at::zeros({e - s, m_hop, m_channels}, at::kFloat);
    const std::int64_t have = m_bufferStart + std::int64_t(m_buffer.size()) / m_channels;
    const std::int64_t copyFrames = std::max<std::int64_t>(0, std::min(e * m_hop, have) - s * m_hop);
    std::copy_n(m_buffer.data() + (s * m_hop - m_bufferStart) * m_channels, copyFrames * m_channels,
                span.data_ptr<float>());
    const at::Tensor audio = span.reshape({1, (e - s) * m_hop, m_channels}).transpose(1, 2).contiguous();
    const at::Tensor z = m_module.encode(audio);
    m_store.append(z.narrow(2, a - s, b - a));
    if (m_sourceDone && b >= total) m_ended = true;
    // Keep what the next block's context reaches back to.
    const std::int64_t keepFrom = std::max<std::int64_t>(0, b - m_plan.context) * m_hop;
    if (keepFrom > m_bufferStart) {
        const std::int64_t drop = std::min<std::int64_t>(keepFrom - m_bufferStart, std::int64_t(m_buffer.size()) / m_channels);
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + drop * m_channels);
        m_bufferStart += drop;
    }
}

}  // namespace latent
