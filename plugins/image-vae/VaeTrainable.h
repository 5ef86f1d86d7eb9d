#pragma once
// Training side of the image-vae family: the VaeNet and its Adam optimiser.
// Loss per image = BCE (Bernoulli decoder, summed over pixels) + beta · KL,
// averaged over the batch, with z drawn by reparameterisation from `gen`.

#include <memory>
#include <string>

#include <torch/optim/adam.h>

#include "TrainableImageNet.h"
#include "VaeNet.h"

namespace latent::image {

class VaeTrainable final : public TrainableImageNet {
public:
    // Builds a freshly initialised net on `device` (initialised from torch's
    // global generator: seed it first for a reproducible run).
    VaeTrainable(const VaeConfig& config, const std::string& device, double lr);

    nlohmann::json config() const override { return m_net->config().toJson(); }
    nlohmann::json defaults() const override { return {{"temperature", 1.0}}; }
    std::vector<std::string> tasks() const override { return {"image.sample", "image.decode", "image.encode"}; }
    std::string latentSpace() const override { return "z"; }
    std::int64_t latentDim() const override { return m_net->config().latentDim; }

    // Returns {"loss", "recon", "kl"}: batch means per image, in nats.
    std::map<std::string, double> trainStep(const at::Tensor& images, const at::Tensor& labels,
                                            at::Generator& gen) override;
    at::Tensor sampleGrid(const at::Tensor& labels, at::Generator& gen) override;
    // {"test_elbo_nats", "test_recon_nats", "test_kl_nats"}: means per test
    // image with beta 1 and one seeded reparameterised z per image.
    std::map<std::string, double> evaluate(const ImageDataset& train, const ImageDataset& test,
                                           JobContext& ctx) override;
    at::Tensor latentsFor(const at::Tensor& images, const at::Tensor& labels, at::Generator& gen) override;
    std::map<std::string, at::Tensor> weights() const override;

    void saveCheckpoint(const std::filesystem::path& file) const override;
    void loadCheckpoint(const std::filesystem::path& file) override;

    VaeNet& net() { return m_net; }
    std::int64_t parameterCount() const;

private:
    at::Tensor toDeviceImages(const at::Tensor& images) const;

    VaeNet m_net;
    std::string m_device;
    std::unique_ptr<torch::optim::Adam> m_optimizer;
};

}  // namespace latent::image
