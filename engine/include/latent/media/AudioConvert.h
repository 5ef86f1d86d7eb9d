#pragma once
// Rate and channel conversion of a clip in memory (libsamplerate; channels as
// mixChannels does), for models
// that run at one rate: a dropped 44.1 kHz stereo file becomes 48 kHz mono.
#include <string>
#include <vector>

#include "latent/media/AudioClip.h"

namespace latent {

// `clip` at `rateHz` with `channels` (1: mixed down by averaging; 2 from
// mono: duplicated). Each change is described in `notices`. Throws
// Error(BadArgument) for a rate outside 1 kHz–768 kHz or channels outside 1–64.
AudioClip convertAudio(const AudioClip& clip, int rateHz, int channels, std::vector<std::string>* notices = nullptr);

}  // namespace latent
