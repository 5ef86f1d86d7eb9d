#pragma once
// Torch helpers for plugin authors: tensor <-> image chunks. Only plugins
// include this header (it exposes torch types).
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "latent/Chunk.h"

#include <string>

namespace latent {

// "[1, 3, 64, 64]": tensor shapes in user-facing messages.
std::string tensorShapeText(const at::Tensor& t);

// Converts a [B, C, H, W] float tensor with values in [lo, hi] (C = 1, 3 or 4)
// to RGBA8 frames: value -> round((v - lo) / (hi - lo) * 255), clamped.
// Throws Error(Runtime) naming the shape when it is not image-like.
std::vector<ImageFrame> tensorToImageFrames(const at::Tensor& images, double lo, double hi);

// The inverse for inputs: RGBA8 frame -> [1, C, H, W] float tensor in [lo, hi].
at::Tensor imageFrameToTensor(const ImageFrame& frame, int channels, double lo, double hi);

}  // namespace latent
