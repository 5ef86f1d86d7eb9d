#pragma once
// Sample grids for training progress and model cards.

#include <filesystem>

#include <ATen/core/Tensor.h>

#include "latent/Chunk.h"

namespace latent::image {

// images [N, C, H, W] in [0, 1] -> one frame, `columns` wide, 2 px gaps.
ImageFrame gridFrame(const at::Tensor& images, int columns);
void writeGridPng(const at::Tensor& images, int columns, const std::filesystem::path& file);

}  // namespace latent::image
