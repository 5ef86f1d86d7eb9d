#pragma once
// Small previews of results (the library's grid): box-filtered, so a 1024 px
// image shrinks without aliasing, and never enlarged.
#include "latent/Chunk.h"

namespace latent {

// `frame` scaled to fit `maxSide` × `maxSide`, aspect kept; a frame already
// that small is returned as it is.
ImageFrame thumbnailFrame(const ImageFrame& frame, int maxSide);

}  // namespace latent
