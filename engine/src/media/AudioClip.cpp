#include "latent/media/AudioClip.h"

#include <algorithm>

namespace latent {

bool placeAudioBlock(AudioClip& clip, const AudioBlock& block, std::int64_t maxFrames) {
    if (block.channels < 1 || block.sampleRateHz < 1 || !block.samples || block.startFrame < 0) return false;
    if (clip.channels == 0) {
        clip.channels = block.channels;
        clip.sampleRateHz = block.sampleRateHz;
    }
    if (block.channels != clip.channels || block.sampleRateHz != clip.sampleRateHz) return false;
    const std::int64_t frames = block.frameCount();
    const std::int64_t end = std::min(block.startFrame + frames, maxFrames);
    if (end <= block.startFrame) return frames == 0;
    const auto channels = std::size_t(clip.channels);
    if (clip.samples.size() < std::size_t(end) * channels) clip.samples.resize(std::size_t(end) * channels);
    std::copy_n(block.samples->begin(), std::size_t(end - block.startFrame) * channels,
                clip.samples.begin() + std::ptrdiff_t(std::size_t(block.startFrame) * channels));
    return end == block.startFrame + frames;
}

}  // namespace latent
