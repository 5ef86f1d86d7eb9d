#include "ImageGrid.h"

#include <ATen/ATen.h>

#include "latent/Error.h"
#include "latent/media/PngWriter.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent::image {

ImageFrame gridFrame(const at::Tensor& images, int columns) {
    if (images.dim() != 4 || images.size(0) < 1)
        throw Error(ErrorKind::Runtime, "a sample grid needs images [N, C, H, W], got " + tensorShapeText(images));
    const std::int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    const std::int64_t cols = std::max<std::int64_t>(1, std::min<std::int64_t>(columns, n));
    const std::int64_t rows = (n + cols - 1) / cols;
    constexpr std::int64_t gap = 2;
    at::Tensor grid = at::full({1, c, rows * (h + gap) + gap, cols * (w + gap) + gap}, 0.25, at::kFloat);
    const at::Tensor src = images.detach().to(at::kCPU, at::kFloat);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t y = gap + (i / cols) * (h + gap), x = gap + (i % cols) * (w + gap);
        grid[0].narrow(1, y, h).narrow(2, x, w).copy_(src[i]);
    }
    return tensorToImageFrames(grid, 0.0, 1.0).front();
}

void writeGridPng(const at::Tensor& images, int columns, const std::filesystem::path& file) {
    writePng(file, gridFrame(images, columns), {});
}

}  // namespace latent::image
