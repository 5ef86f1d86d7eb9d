#pragma once
// Slider directions of a latent space, computed once at training time and
// stored in the package (directions.safetensors): principal directions (PCA
// of latents, as GANSpace does for W) and named directions between class means.

#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "ImageDataset.h"

namespace latent::image {

struct LatentDirections {
    at::Tensor mean;                     // [D]
    at::Tensor principal;                // [K, D], each row one standard deviation long
    std::vector<double> explained;       // variance fraction per principal row
    at::Tensor named;                    // [M, D], from class A's mean to class B's
    std::vector<std::string> namedLabels;  // "sneaker ↔ ankle boot"
};

// latents [N, D] (CPU float), labels [N] (-1 = none).
LatentDirections computeDirections(const at::Tensor& latents, const at::Tensor& labels,
                                   const ImageDataset& data, int principalCount = 16);

// Writes directions.safetensors (tensors "mean", "principal", "named") and
// returns the model.json "latent" entry describing them.
nlohmann::json saveDirections(const LatentDirections& d, const std::filesystem::path& file,
                              const std::string& space, std::int64_t dim);

}  // namespace latent::image
