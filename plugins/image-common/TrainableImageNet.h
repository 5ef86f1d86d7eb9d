#pragma once
// The training side of a latent-space image family: one optimisation step, a
// sample grid, the model-card metric, latents for slider directions, weights
// and a resumable checkpoint. ImageTrainingRun drives it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "ImageDataset.h"
#include "latent/JobContext.h"

namespace latent::image {

class TrainableImageNet {
public:
    virtual ~TrainableImageNet() = default;

    // model.json "config": everything the plugin's load() needs to rebuild the net.
    virtual nlohmann::json config() const = 0;
    // model.json "defaults": default inference parameters (e.g. truncation).
    virtual nlohmann::json defaults() const { return nlohmann::json::object(); }
    // The tasks the finished package offers ("image.sample", "image.decode", ...).
    virtual std::vector<std::string> tasks() const = 0;
    // "z", "w" or "eps": what the sliders move, for the model card.
    virtual std::string latentSpace() const = 0;
    virtual std::int64_t latentDim() const = 0;

    // One optimisation step. images: float [B, C, H, W] in [0, 1] on the
    // training device; labels: int64 [B] (-1 = unlabelled). Returns the losses
    // to log, e.g. {"loss": …, "kl": …}.
    virtual std::map<std::string, double> trainStep(const at::Tensor& images, const at::Tensor& labels,
                                                    at::Generator& gen) = 0;

    // Samples for the progress grid, in [0, 1]: one per entry of `labels`
    // (int64 [n]; -1 = any class). The trainer passes the same generator state
    // every time, so grids of a run are comparable.
    virtual at::Tensor sampleGrid(const at::Tensor& labels, at::Generator& gen) = 0;

    // The model-card metrics on the held-out split, e.g. {"test_elbo_nats": -240.2}
    // or {"test_bits_per_dim": 3.1}. May train helpers (the GAN's classifier) on `train`.
    virtual std::map<std::string, double> evaluate(const ImageDataset& train, const ImageDataset& test,
                                                   JobContext& ctx) = 0;

    // Latents in the space the sliders move, for PCA and class directions:
    // VAE posterior means, flow eps of the images; the GAN ignores the images
    // and maps fresh z of those labels to w. Returns [B, D] on the CPU.
    virtual at::Tensor latentsFor(const at::Tensor& images, const at::Tensor& labels, at::Generator& gen) = 0;
    // The centre slider edits start from when nothing else is known (GAN: w_avg); may be undefined.
    virtual at::Tensor latentMean() const { return {}; }

    // Inference weights, named as the plugin's loader expects them (CPU tensors).
    virtual std::map<std::string, at::Tensor> weights() const = 0;

    // Whole training state (weights, optimisers, running statistics).
    virtual void saveCheckpoint(const std::filesystem::path& file) const = 0;
    virtual void loadCheckpoint(const std::filesystem::path& file) = 0;
};

}  // namespace latent::image
