#pragma once
// A loaded Glow as a LatentImageNet: eps latents (D = C·S·S values, ~N(0, 1)),
// exact decode and encode, and each image's bits/dim as its score.

#include <filesystem>
#include <string>

#include "GlowNet.h"
#include "LatentImageNet.h"

namespace latent::flow {

class FlowImageNet final : public image::LatentImageNet {
public:
    // Reads `weights` (safetensors named as GlowNet's parameters and buffers)
    // onto `device`. Throws Error(ModelPackage) naming a missing, extra or
    // mis-shaped tensor, Error(Format) for a file that does not parse.
    FlowImageNet(const GlowConfig& config, const std::filesystem::path& weights, const std::string& device);

    std::int64_t latentDim() const override { return m_config.dim(); }
    int channels() const override { return m_config.channels; }
    int height() const override { return m_config.imageSize; }
    int width() const override { return m_config.imageSize; }
    std::size_t memoryBytes() const override { return m_bytes; }

    // eps ~ N(0, 1) * temperature (param "temperature"): below 1 trades
    // variety for cleaner samples, as in Glow.
    at::Tensor sampleLatents(std::int64_t batch, const at::Tensor& labels, JobContext& ctx,
                             at::Generator& gen) override;
    at::Tensor decode(const at::Tensor& latents) override;
    bool canEncode() const override { return true; }
    // The exact forward pass of the midpoint-dequantised image: one step, no iterations.
    at::Tensor encode(const at::Tensor& images, JobContext& ctx, const EncodeStep& onStep) override;
    // {"bits_per_dim"}: exact -log2 p of the 8-bit image per dimension (midpoint dequantisation).
    std::map<std::string, at::Tensor> scores(const at::Tensor& images) override;

    GlowNet& net() { return m_net; }

private:
    at::Tensor toModel(const at::Tensor& images) const;

    GlowConfig m_config;
    GlowNet m_net;
    at::Device m_device;
    std::size_t m_bytes = 0;
};

}  // namespace latent::flow
