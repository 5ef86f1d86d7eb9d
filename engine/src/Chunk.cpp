#include "latent/Chunk.h"

#include "latent/Error.h"

namespace latent {

ImageFrame makeImageFrame(int width, int height, std::vector<std::uint8_t> rgba, int index) {
    if (width <= 0 || height <= 0 || rgba.size() != std::size_t(width) * std::size_t(height) * 4)
        throw Error(ErrorKind::Runtime, "image frame of " + std::to_string(width) + "x" +
                                            std::to_string(height) + " needs " +
                                            std::to_string(std::size_t(width > 0 ? width : 0) *
                                                           std::size_t(height > 0 ? height : 0) * 4) +
                                            " RGBA bytes, got " + std::to_string(rgba.size()));
    ImageFrame frame;
    frame.width = width;
    frame.height = height;
    frame.index = index;
    frame.rgba = std::make_shared<const std::vector<std::uint8_t>>(std::move(rgba));
    return frame;
}

std::shared_ptr<const std::vector<float>> makeSharedFloats(std::vector<float> values) {
    return std::make_shared<const std::vector<float>>(std::move(values));
}

}  // namespace latent
