#pragma once
// Where a transfer's input comes from, already at the model's rate and
// channel count: a clip in memory or a file read block by block.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "latent/media/AudioClip.h"

namespace latent {

class AudioFileReader;

class AudioSource {
public:
    virtual ~AudioSource() = default;
    // Up to `frames` frames (interleaved); fewer only at the end.
    virtual std::vector<float> read(std::int64_t frames) = 0;
    // Frames in all, when known before the end (-1 otherwise).
    virtual std::int64_t totalFrames() const = 0;
    virtual const std::vector<std::string>& notices() const = 0;
};

// Converts `clip` to `rateHz` × `channels` up front.
std::unique_ptr<AudioSource> makeClipSource(const AudioClip& clip, int rateHz, int channels);
// Streams `path`, converting on the way.
std::unique_ptr<AudioSource> makeFileSource(const std::string& path, int rateHz, int channels);

}  // namespace latent
