#pragma once
// What a latent-space image model does at run time. Each family (VAE, GAN,
// flow) implements it; LatentImageModel turns it into the image.* tasks so the
// tasks behave the same across families.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "latent/JobContext.h"

namespace latent::image {

class LatentImageNet {
public:
    virtual ~LatentImageNet() = default;

    virtual std::int64_t latentDim() const = 0;
    virtual std::int64_t numClasses() const { return 0; }
    virtual int channels() const = 0;
    virtual int height() const = 0;
    virtual int width() const = 0;
    virtual std::size_t memoryBytes() const = 0;

    // Latents for a new batch, drawn from `gen` (a CPU generator seeded by the
    // job: the same seed gives the same latents on every device). `labels` is
    // int64 [batch] on the CPU, or undefined for unconditional models. Reads
    // its own parameters (temperature, truncation) from ctx. Returns [batch, D] on the CPU.
    virtual at::Tensor sampleLatents(std::int64_t batch, const at::Tensor& labels, JobContext& ctx,
                                     at::Generator& gen) = 0;

    // [B, D] float on any device -> images [B, C, H, W] float in [0, 1] on the model's device.
    virtual at::Tensor decode(const at::Tensor& latents) = 0;

    virtual bool canEncode() const { return false; }
    // images [B, C, H, W] in [0, 1] -> latents [B, D]. Iterative encoders (GAN
    // projection) call onStep after each step with the current latents and
    // check ctx.stopRequested(). The default throws Error(BadArgument).
    using EncodeStep = std::function<void(int step, int totalSteps, const at::Tensor& latents)>;
    virtual at::Tensor encode(const at::Tensor& images, JobContext& ctx, const EncodeStep& onStep);

    // Per-image scores of images in [0, 1], [B, C, H, W]: each entry a [B]
    // tensor, e.g. {"bits_per_dim"} (flow) or {"elbo_nats"} (VAE). Empty: none.
    virtual std::map<std::string, at::Tensor> scores(const at::Tensor& images);
};

}  // namespace latent::image
