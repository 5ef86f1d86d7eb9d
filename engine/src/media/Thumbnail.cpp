#include "latent/media/Thumbnail.h"

#include <algorithm>
#include <cmath>

namespace latent {

ImageFrame thumbnailFrame(const ImageFrame& frame, int maxSide) {
    const int w = frame.width, h = frame.height;
    if (!frame.rgba || w <= 0 || h <= 0 || frame.rgba->size() < std::size_t(w) * std::size_t(h) * 4 ||
        (w <= maxSide && h <= maxSide))
        return frame;
    const double scale = double(maxSide) / double(std::max(w, h));
    const int tw = std::max(1, int(std::lround(w * scale))), th = std::max(1, int(std::lround(h * scale)));
    const auto& src = *frame.rgba;
    std::vector<std::uint8_t> out(std::size_t(tw) * std::size_t(th) * 4);
    for (int ty = 0; ty < th; ++ty) {
        const int y0 = ty * h / th, y1 = std::max(y0 + 1, (ty + 1) * h / th);
        for (int tx = 0; tx < tw; ++tx) {
            const int x0 = tx * w / tw, x1 = std::max(x0 + 1, (tx + 1) * w / tw);
            // Each output pixel is the mean of the source pixels it covers.
            std::uint32_t sum[4] = {0, 0, 0, 0};
            for (int y = y0; y < y1; ++y)
                for (int x = x0; x < x1; ++x)
                    for (int c = 0; c < 4; ++c) sum[c] += src[(std::size_t(y) * std::size_t(w) + std::size_t(x)) * 4 + std::size_t(c)];
            const std::uint32_t n = std::uint32_t((y1 - y0) * (x1 - x0));
            for (int c = 0; c < 4; ++c)
                out[(std::size_t(ty) * std::size_t(tw) + std::size_t(tx)) * 4 + std::size_t(c)] = std::uint8_t((sum[c] + n / 2) / n);
        }
    }
    return makeImageFrame(tw, th, std::move(out), frame.index);
}

}  // namespace latent
