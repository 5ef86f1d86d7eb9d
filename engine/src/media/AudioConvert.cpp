#include "latent/media/AudioConvert.h"

#include <samplerate.h>

#include "latent/Error.h"

namespace latent {
namespace {

// Mono is copied to every output channel; more channels are averaged into each.
std::vector<float> remix(const std::vector<float>& in, int from, int to, std::int64_t frames) {
    std::vector<float> out(std::size_t(frames) * std::size_t(to));
    for (std::int64_t f = 0; f < frames; ++f) {
        const float* src = in.data() + f * from;
        float value = src[0];
        if (from > 1) {
            float sum = 0;
            for (int c = 0; c < from; ++c) sum += src[c];
            value = sum / float(from);
        }
        for (int c = 0; c < to; ++c) out[std::size_t(f * to + c)] = value;
    }
    return out;
}

}  // namespace

AudioClip convertAudio(const AudioClip& clip, int rateHz, int channels, std::vector<std::string>* notices) {
    if (rateHz < 1000 || rateHz > 768000)
        throw Error(ErrorKind::BadArgument, "a sample rate of " + std::to_string(rateHz) + " Hz is not supported");
    if (channels < 1 || channels > 64)
        throw Error(ErrorKind::BadArgument, std::to_string(channels) + " channels are not supported");
    if (clip.channels < 1 || clip.sampleRateHz < 1000 || clip.sampleRateHz > 768000)
        throw Error(ErrorKind::BadArgument, "the clip has no valid rate or channel count");
    AudioClip out;
    out.sampleRateHz = clip.sampleRateHz;
    out.channels = channels;
    const std::int64_t frames = clip.frames();
    if (clip.channels != channels) {
        out.samples = remix(clip.samples, clip.channels, channels, frames);
        if (notices)
            notices->push_back(channels == 1 ? "mixed " + std::to_string(clip.channels) + " channels down to mono"
                                             : "converted " + std::to_string(clip.channels) + " channel(s) to " +
                                                   std::to_string(channels));
    } else {
        out.samples.assign(clip.samples.begin(), clip.samples.begin() + frames * channels);
    }
    if (clip.sampleRateHz == rateHz || frames == 0) {
        out.sampleRateHz = rateHz;
        return out;
    }
    const double ratio = double(rateHz) / clip.sampleRateHz;
    std::vector<float> resampled(std::size_t(double(frames) * ratio + 64) * std::size_t(channels));
    SRC_DATA data{};
    data.data_in = out.samples.data();
    data.input_frames = long(frames);
    data.data_out = resampled.data();
    data.output_frames = long(resampled.size() / std::size_t(channels));
    data.src_ratio = ratio;
    data.end_of_input = 1;
    if (const int rc = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, channels); rc != 0)
        throw Error(ErrorKind::Runtime, std::string("resampling failed: ") + src_strerror(rc));
    resampled.resize(std::size_t(data.output_frames_gen) * std::size_t(channels));
    if (notices)
        notices->push_back("resampled from " + std::to_string(clip.sampleRateHz) + " Hz to " + std::to_string(rateHz) +
                           " Hz");
    out.samples = std::move(resampled);
    out.sampleRateHz = rateHz;
    return out;
}

}  // namespace latent
