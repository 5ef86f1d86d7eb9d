#pragma once
// The loaders behind loadImageDataset, one per kind of source, and the
// shared resize / channel conversion they use.

#include <ATen/core/Tensor.h>

#include "ImageDataset.h"

namespace latent::image {

ImageDataset loadFashionMnist(const DatasetRequest& request);
ImageDataset loadNotoEmoji(const DatasetRequest& request);
ImageDataset loadImageFolder(const DatasetRequest& request);

// uint8 [N, C, H, W] -> uint8 [N, channels, size, size] (area-averaged when
// shrinking, bilinear when growing; gray <-> RGB by averaging / repeating).
at::Tensor conformImages(const at::Tensor& images, int size, int channels);

}  // namespace latent::image
