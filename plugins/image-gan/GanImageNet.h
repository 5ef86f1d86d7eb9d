#pragma once
// The image-gan family at run time: sliders move w (GANSpace), sampling maps
// fresh z (and a class) to w with truncation, decoding is the synthesis
// network with its fixed noise, and encoding projects an image into W by
// optimisation.

#include <cstddef>
#include <cstdint>
#include <string>

#include "GanGenerator.h"
#include "LatentImageNet.h"

namespace latent::gan {

class GanImageNet final : public image::LatentImageNet {
public:
    // Builds the generator for `config` on `device` and copies `weights` into it
    // (throws Error(ModelPackage) naming `source` and the tensor at fault).
    GanImageNet(const GanConfig& config, const std::map<std::string, at::Tensor>& weights, const std::string& source,
                const std::string& device);

    std::int64_t latentDim() const override { return m_config.wDim; }
    std::int64_t numClasses() const override { return m_config.numClasses; }
    int channels() const override { return m_config.channels; }
    int height() const override { return m_config.imageSize; }
    int width() const override { return m_config.imageSize; }
    std::size_t memoryBytes() const override { return m_bytes; }

    at::Tensor sampleLatents(std::int64_t batch, const at::Tensor& labels, JobContext& ctx,
                             at::Generator& gen) override;
    at::Tensor decode(const at::Tensor& latents) override;
    bool canEncode() const override { return true; }
    at::Tensor encode(const at::Tensor& images, JobContext& ctx, const EncodeStep& onStep) override;
    // A GAN has no likelihood: no per-image scores.
    std::map<std::string, at::Tensor> scores(const at::Tensor&) override { return {}; }

    GanGenerator& generator() { return m_generator; }

private:
    GanConfig m_config;
    GanGenerator m_generator{nullptr};
    at::Device m_device;
    std::size_t m_bytes = 0;
};

}  // namespace latent::gan
