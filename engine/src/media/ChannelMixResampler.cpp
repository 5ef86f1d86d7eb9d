#include "media/ChannelMixResampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "latent/Error.h"
#include "media/ChannelMix.h"

namespace latent {

namespace {

// Input frames per src_process call, and output frames it may give: bound
// the output buffer however large the caller's block and the ratio are.
constexpr std::int64_t kResampleChunkFrames = 4096;
constexpr double kResampleOutputFrames = 65536;
constexpr float kSilence = 0.0f;

}  // namespace

ChannelMixResampler::ChannelMixResampler(int inRateHz, int inChannels, int outRateHz, int outChannels)
    : m_inChannels(inChannels),
      m_outChannels(outChannels),
      m_midChannels(std::min(inChannels, outChannels)),
      m_ratio(double(outRateHz) / double(inRateHz)) {
    if (inRateHz <= 0 || outRateHz <= 0 || inChannels <= 0 || outChannels <= 0)
        throw Error(ErrorKind::BadArgument, "Audio conversion needs positive rates and channel counts");
    if (inRateHz == outRateHz) return;
    if (!src_is_valid_ratio(m_ratio))
        throw Error(ErrorKind::BadArgument, "Cannot resample from " + std::to_string(inRateHz) + " Hz to " +
                                                std::to_string(outRateHz) +
                                                " Hz: libsamplerate converts by a factor of at most 256");
    int err = 0;
    m_src = src_new(SRC_SINC_MEDIUM_QUALITY, m_midChannels, &err);
    if (!m_src)
        throw Error(ErrorKind::Runtime, std::string("Cannot start the sample-rate converter: ") + src_strerror(err));
}

ChannelMixResampler::~ChannelMixResampler() {
    if (m_src) src_delete(m_src);
}

std::int64_t ChannelMixResampler::maxOutputFrames(std::int64_t inFrames) const {
    if (!m_src) return inFrames;
    // libsamplerate's output never exceeds in × ratio by more than its filter
    // delay, which the end of the stream flushes; 256 covers that.
    const double bound = std::ceil(double(inFrames) * m_ratio) + 256.0;
    return bound >= double(std::numeric_limits<std::int64_t>::max() / 2) ? std::numeric_limits<std::int64_t>::max() / 2
                                                                         : std::int64_t(bound);
}

void ChannelMixResampler::process(const float* in, std::int64_t frames, std::vector<float>& out) {
    if (frames <= 0) return;
    const float* mid = in;
    if (m_outChannels < m_inChannels) {
        m_mixed.resize(std::size_t(frames) * std::size_t(m_midChannels));
        mixChannels(in, m_inChannels, m_mixed.data(), m_midChannels, frames);
        mid = m_mixed.data();
    }
    if (m_src)
        resample(mid, frames, false, out);
    else
        appendOutput(mid, frames, out);
}

void ChannelMixResampler::finish(std::vector<float>& out) {
    if (m_finished) return;
    m_finished = true;
    if (m_src) resample(nullptr, 0, true, out);
}

void ChannelMixResampler::resample(const float* in, std::int64_t frames, bool last, std::vector<float>& out) {
    const auto ch = std::size_t(m_midChannels);
    const std::int64_t chunkFrames =
        std::clamp(std::int64_t(kResampleOutputFrames / m_ratio), std::int64_t(16), kResampleChunkFrames);
    const std::int64_t outCapacity = std::int64_t(std::ceil(double(chunkFrames) * m_ratio)) + 64;
    m_resampled.resize(std::size_t(outCapacity) * ch);
    std::int64_t done = 0;
    // Each pass consumes input or produces output; a pass that does neither
    // ends the loop (libsamplerate wants more input, or the flush is over).
    for (;;) {
        const std::int64_t chunk = std::min(frames - done, chunkFrames);
        SRC_DATA data{};
        // Never null, not even for the final flush: libsamplerate 0.2 then
        // silently gives no output, and the last filter length is lost.
        data.data_in = in ? in + std::size_t(done) * ch : &kSilence;
        data.input_frames = long(chunk);
        data.data_out = m_resampled.data();
        data.output_frames = long(outCapacity);
        data.end_of_input = last && done + chunk == frames ? 1 : 0;
        data.src_ratio = m_ratio;
        const int err = src_process(m_src, &data);
        if (err != 0)
            throw Error(ErrorKind::Runtime, std::string("Sample-rate conversion failed: ") + src_strerror(err));
        done += data.input_frames_used;
        appendOutput(m_resampled.data(), data.output_frames_gen, out);
        if (data.input_frames_used == 0 && data.output_frames_gen == 0) break;
        if (done >= frames && !last) break;
    }
}

void ChannelMixResampler::appendOutput(const float* mid, std::int64_t frames, std::vector<float>& out) {
    if (frames <= 0) return;
    const std::size_t start = out.size();
    out.resize(start + std::size_t(frames) * std::size_t(m_outChannels));
    float* dst = out.data() + start;
    if (m_outChannels > m_midChannels)
        mixChannels(mid, m_midChannels, dst, m_outChannels, frames);
    else
        std::copy(mid, mid + std::size_t(frames) * std::size_t(m_midChannels), dst);
    if (m_src)
        for (float* p = dst; p != out.data() + out.size(); ++p) *p = std::clamp(*p, -1.0f, 1.0f);
}

}  // namespace latent
