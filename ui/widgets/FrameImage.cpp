#include "widgets/FrameImage.h"

#include <cstring>

namespace latent {

QImage imageFromFrame(const ImageFrame& frame) {
    if (frame.width <= 0 || frame.height <= 0 || !frame.rgba) return {};
    const std::size_t rowBytes = std::size_t(frame.width) * 4;
    if (frame.rgba->size() != rowBytes * std::size_t(frame.height)) return {};
    QImage img(frame.width, frame.height, QImage::Format_RGBA8888);
    if (img.isNull()) return {};
    // Row by row: QImage rows may be padded.
    for (int y = 0; y < frame.height; ++y)
        std::memcpy(img.scanLine(y), frame.rgba->data() + std::size_t(y) * rowBytes, rowBytes);
    return img;
}

}  // namespace latent
