#pragma once
// A sound's picture for the results library's tiles: per pixel column the
// peak level (the larger of |min| and |max| over all channels), drawn
// mirrored about a thin centre line in mid-blue, with the RMS level in a
// lighter blue inside it, on a dark background. Levels are linear, full
// scale filling the height: a quiet clip draws a thin band, a silent one the
// centre line only.
#include "latent/Chunk.h"
#include "latent/media/AudioClip.h"

namespace latent {

// Opaque RGBA8 of `width` × `height` (1 to 8192 each; Error(BadArgument)
// otherwise). Samples that are not finite count as silence.
ImageFrame waveformThumbnail(const AudioClip& clip, int width, int height);

}  // namespace latent
