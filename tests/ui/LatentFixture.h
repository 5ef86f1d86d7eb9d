#pragma once
// Latent-space fixture packages for the latent editor's tests: the
// torch-free fixture-image family with config.latent_dim, plus a
// directions.safetensors written here, shaped like the ones the image-vae,
// image-gan and image-flow families ship.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "FixturePackage.h"
#include "latent/ModelPackage.h"
#include "latent/formats/Safetensors.h"

namespace latent::test {

inline constexpr int kLatentDim = 8;

struct LatentDirectionsData {
    std::vector<float> mean;       // [D]
    std::vector<float> principal;  // [K, D]
    std::vector<float> named;      // [M, D]
    int k = 0;
    int m = 0;
};

// Principal rows are scaled unit axes (easy to check by hand), one named
// direction mixes two axes.
inline LatentDirectionsData exampleDirections(int dim = kLatentDim, int k = 4) {
    LatentDirectionsData d;
    d.k = k;
    d.m = 1;
    d.mean.assign(std::size_t(dim), 0.0f);
    for (int i = 0; i < dim; ++i) d.mean[std::size_t(i)] = 0.01f * float(i);
    d.principal.assign(std::size_t(k) * std::size_t(dim), 0.0f);
    for (int r = 0; r < k; ++r) d.principal[std::size_t(r) * std::size_t(dim) + std::size_t(r)] = 1.5f - 0.25f * float(r);
    d.named.assign(std::size_t(dim), 0.0f);
    d.named[0] = 0.8f;
    d.named[std::size_t(std::min(2, dim - 1))] = -0.6f;
    return d;
}

inline void writeDirectionsFile(const std::filesystem::path& file, const LatentDirectionsData& d, int dim,
                                int principalCols = -1) {
    const int cols = principalCols < 0 ? dim : principalCols;
    std::vector<TensorToWrite> tensors{
        {"mean", TensorDType::F32, {dim}, d.mean.data()},
        {"principal", TensorDType::F32, {d.k, cols}, d.principal.data()},
    };
    if (d.m > 0) tensors.push_back({"named", TensorDType::F32, {d.m, dim}, d.named.data()});
    writeSafetensors(file, tensors, {{"format", "latent-studio-directions"}, {"space", "z"}});
}

inline nlohmann::json latentEntry(int dim, const LatentDirectionsData& d) {
    return {{"dim", dim},
            {"space", "z"},
            {"directions", "directions.safetensors"},
            {"principal", d.k},
            {"explained_variance", {0.4, 0.2, 0.1, 0.05}},
            {"named", {"dark \xe2\x86\x94 bright"}}};
}

// A VAE-like fixture: sample, decode and encode, frames carry latents and
// scores, and the package ships directions.safetensors.
inline ModelPackage writeLatentPackage(const std::filesystem::path& root, const std::string& id) {
    ModelPackage p = writeFixtureImagePackage(root, id);
    const auto d = exampleDirections();
    writeDirectionsFile(p.dir / "directions.safetensors", d, kLatentDim);
    p.tasks = {"image.sample", "image.decode", "image.encode"};
    p.config = {{"latent_dim", kLatentDim}};
    p.defaults = {{"size", 32}, {"steps", 1}};
    p.latent = latentEntry(kLatentDim, d);
    writeModelManifest(p, p.dir / "model.json");
    return p;
}

// Like an imported TorchScript generator: image.sample only, frames without
// latents, config.latent_dim and no directions file.
inline ModelPackage writeTorchScriptLikePackage(const std::filesystem::path& root, const std::string& id, int dim = 20) {
    ModelPackage p = writeFixtureImagePackage(root, id);
    p.tasks = {"image.sample"};
    p.config = {{"latent_dim", dim}};
    p.defaults = {{"size", 24}, {"steps", 1}};
    writeModelManifest(p, p.dir / "model.json");
    return p;
}

// A latent package whose directions file does not fit its latent size.
inline ModelPackage writeBadDirectionsPackage(const std::filesystem::path& root, const std::string& id) {
    ModelPackage p = writeFixtureImagePackage(root, id);
    auto d = exampleDirections(5, 4);  // 5 columns, the package says 8
    writeDirectionsFile(p.dir / "directions.safetensors", d, 5);
    p.tasks = {"image.sample", "image.decode"};
    p.config = {{"latent_dim", kLatentDim}};
    p.defaults = {{"size", 16}, {"steps", 1}};
    p.latent = latentEntry(kLatentDim, d);
    writeModelManifest(p, p.dir / "model.json");
    return p;
}

}  // namespace latent::test
