#pragma once
// The conversion AudioFileReader and readAudioFile apply, block by block:
// channels first when they shrink (less to resample), then the rate with
// libsamplerate (SRC_SINC_MEDIUM_QUALITY, one SRC_STATE for the whole stream,
// so blocks join without clicks), then channels when they grow. Outputs are
// clamped to [-1, 1] (a sinc filter overshoots near full scale).
#include <samplerate.h>

#include <cstdint>
#include <vector>

namespace latent {

class ChannelMixResampler {
public:
    // Throws Error(BadArgument) for a ratio libsamplerate cannot do (over
    // 256 either way) and Error(Runtime) when it cannot start.
    ChannelMixResampler(int inRateHz, int inChannels, int outRateHz, int outChannels);
    ~ChannelMixResampler();
    ChannelMixResampler(const ChannelMixResampler&) = delete;
    ChannelMixResampler& operator=(const ChannelMixResampler&) = delete;

    bool resamples() const { return m_src != nullptr; }
    bool converts() const { return m_src || m_inChannels != m_outChannels; }
    int outChannels() const { return m_outChannels; }
    double ratio() const { return m_ratio; }
    // An upper bound on the output frames `inFrames` input frames give.
    std::int64_t maxOutputFrames(std::int64_t inFrames) const;

    // Converts `frames` interleaved input frames and appends the output to `out`.
    void process(const float* in, std::int64_t frames, std::vector<float>& out);
    // At the end of the input: appends the resampler's remaining output.
    void finish(std::vector<float>& out);

private:
    void resample(const float* in, std::int64_t frames, bool last, std::vector<float>& out);
    void appendOutput(const float* mid, std::int64_t frames, std::vector<float>& out);

    int m_inChannels;
    int m_outChannels;
    int m_midChannels;  // channels while resampling: the fewer of in and out
    double m_ratio;
    SRC_STATE* m_src = nullptr;
    bool m_finished = false;
    std::vector<float> m_mixed;
    std::vector<float> m_resampled;
};

}  // namespace latent
