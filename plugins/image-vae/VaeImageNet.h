#pragma once
// A loaded VAE at run time (LatentImageModel serves the image.* tasks with it):
// z ~ N(0, temperature² I) for sampling, the decoder for images, the encoder's
// posterior mean for image.encode, and a per-image ELBO as the score.

#include <string>

#include "LatentImageNet.h"
#include "VaeNet.h"

namespace latent::image {

class VaeImageNet final : public LatentImageNet {
public:
    // `net` already holds its weights and sits on `device`.
    VaeImageNet(VaeNet net, std::string device);

    std::int64_t latentDim() const override { return m_net->config().latentDim; }
    int channels() const override { return m_net->config().channels; }
    int height() const override { return m_net->config().imageSize; }
    int width() const override { return m_net->config().imageSize; }
    std::size_t memoryBytes() const override { return m_bytes; }

    at::Tensor sampleLatents(std::int64_t batch, const at::Tensor& labels, JobContext& ctx,
                             at::Generator& gen) override;
    at::Tensor decode(const at::Tensor& latents) override;
    bool canEncode() const override { return true; }
    at::Tensor encode(const at::Tensor& images, JobContext& ctx, const EncodeStep& onStep) override;
    std::map<std::string, at::Tensor> scores(const at::Tensor& images) override;

private:
    VaeNet m_net;
    std::string m_device;
    std::size_t m_bytes = 0;
};

}  // namespace latent::image
