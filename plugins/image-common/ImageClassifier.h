#pragma once
// A small convolutional classifier trained on a labelled data set. The GAN's
// model card scores class-conditional samples with it (the fraction it
// assigns to the class they were asked for), next to its own accuracy on
// real held-out images so the number can be read.

#include <cstdint>
#include <memory>

#include <ATen/core/Tensor.h>

#include "ImageDataset.h"
#include "latent/JobContext.h"

namespace latent::image {

class ImageClassifier {
public:
    // Trains for `steps` batches of 128 on `train` (which must be labelled).
    static std::unique_ptr<ImageClassifier> train(const ImageDataset& train, JobContext& ctx, std::int64_t steps,
                                                  std::uint64_t seed);
    virtual ~ImageClassifier() = default;
    // images [B, C, H, W] in [0, 1] -> predicted class [B] (int64, CPU).
    virtual at::Tensor predict(const at::Tensor& images) = 0;
    // Fraction of `test` classified correctly.
    double accuracy(const ImageDataset& test);
};

}  // namespace latent::image
