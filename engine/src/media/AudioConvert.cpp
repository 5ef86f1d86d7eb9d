#include "latent/media/AudioConvert.h"

#include <samplerate.h>

#include "latent/Error.h"
#include "media/ChannelMix.h"

namespace latent {

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
        out.samples.resize(std::size_t(frames) * std::size_t(channels));
        mixChannels(clip.samples.data(), clip.channels, out.samples.data(), channels, frames);
        if (notices) notices->push_back(channelMixNotice(clip.channels, channels));
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
