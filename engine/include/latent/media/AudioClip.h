#pragma once
// A whole sound in memory: interleaved float samples in [-1, 1], frames of
// `channels` samples at `sampleRateHz`. Clips are bounded (readAudioFile's
// limit); long files are read block by block with AudioFileReader instead.
#include <cstdint>
#include <vector>

#include "latent/Chunk.h"

namespace latent {

struct AudioClip {
    int sampleRateHz = 0;
    int channels = 0;
    std::vector<float> samples;  // interleaved: frame 0 ch 0, frame 0 ch 1, frame 1 ch 0, ...

    std::int64_t frames() const { return channels > 0 ? std::int64_t(samples.size()) / channels : 0; }
    double seconds() const { return sampleRateHz > 0 ? double(frames()) / sampleRateHz : 0.0; }
};

// Places a streamed block into `clip` at its start frame (the first block
// sets rate and channels; blocks of another stream are ignored). At most
// `maxFrames` frames are kept; returns false when the block was cut or ignored.
bool placeAudioBlock(AudioClip& clip, const AudioBlock& block, std::int64_t maxFrames);

}  // namespace latent
