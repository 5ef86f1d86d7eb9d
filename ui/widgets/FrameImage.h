#pragma once
#include <QImage>

#include "latent/Chunk.h"

namespace latent {

// A deep copy of an RGBA8 frame as a QImage (Format_RGBA8888); a null image
// when the frame's buffer does not hold width*height*4 bytes.
QImage imageFromFrame(const ImageFrame& frame);

}  // namespace latent
