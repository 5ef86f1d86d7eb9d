#pragma once
// Slider directions of a latent space (a torch helper for plugins), computed once at training time and
// stored in the package (directions.safetensors): principal directions (PCA
// of latents, as GANSpace does for W) and named directions between class means.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

namespace latent {

struct LatentDirections {
    at::Tensor mean;                     // [D]
    at::Tensor principal;                // [K, D], each row one standard deviation long
    std::vector<double> explained;       // variance fraction per principal row
    at::Tensor named;                    // [M, D], from class A's mean to class B's
    std::vector<std::string> namedLabels;  // "sneaker ↔ ankle boot"
};

// latents [N, D] (CPU float), labels [N] (-1 = none). Named directions go
// from class a's mean to class b's for each of `pairs`; with no pairs, from the
// overall mean towards each of the first 12 classes.
LatentDirections computeDirections(const at::Tensor& latents, const at::Tensor& labels,
                                   const std::vector<std::string>& classNames,
                                   const std::vector<std::pair<int, int>>& pairs, int principalCount = 16);

// Writes directions.safetensors (tensors "mean", "principal", "named") and
// returns the model.json "latent" entry describing them.
nlohmann::json saveDirections(const LatentDirections& d, const std::filesystem::path& file,
                              const std::string& space, std::int64_t dim);

}  // namespace latent
