#pragma once
// Channel conversion of interleaved float frames. Fewer channels: output
// channel o is the mean of the input channels i with i % out == o (mono: the
// mean of all). More channels: output channel o copies input channel o % in
// (mono is duplicated).
#include <cstdint>
#include <string>

namespace latent {

// Writes frames × outChannels samples to `out` (not overlapping `in`).
void mixChannels(const float* in, int inChannels, float* out, int outChannels, std::int64_t frames);

// "mixed 2 channels down to mono", "duplicated mono to 2 channels",
// "mixed 6 channels down to 2"; empty when the counts are equal.
std::string channelMixNotice(int inChannels, int outChannels);

}  // namespace latent
