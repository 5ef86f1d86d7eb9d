#pragma once
// Trains a Glow by maximum likelihood: loss = mean bits/dim of the batch with
// uniform dequantisation noise, Adam with a linear warm-up, gradient-norm
// clipping. ImageTrainingRun drives it and writes the package.

#include <cstdint>
#include <memory>
#include <string>

#include <torch/optim/adam.h>

#include "GlowNet.h"
#include "TrainableImageNet.h"

namespace latent::flow {

class FlowTrainable final : public image::TrainableImageNet {
public:
    FlowTrainable(const GlowConfig& config, const std::string& device, double lr, std::uint64_t seed);

    nlohmann::json config() const override;
    nlohmann::json defaults() const override;
    std::vector<std::string> tasks() const override;
    std::string latentSpace() const override { return "eps"; }
    std::int64_t latentDim() const override { return m_config.dim(); }

    std::map<std::string, double> trainStep(const at::Tensor& images, const at::Tensor& labels,
                                            at::Generator& gen) override;
    at::Tensor sampleGrid(const at::Tensor& labels, at::Generator& gen) override;
    std::map<std::string, double> evaluate(const image::ImageDataset& train, const image::ImageDataset& test,
                                           JobContext& ctx) override;
    at::Tensor latentsFor(const at::Tensor& images, const at::Tensor& labels, at::Generator& gen) override;
    std::map<std::string, at::Tensor> weights() const override;
    void saveCheckpoint(const std::filesystem::path& file) const override;
    void loadCheckpoint(const std::filesystem::path& file) override;

    GlowNet& net() { return m_net; }
    std::int64_t stepsDone() const { return m_step; }

    static constexpr double kSampleTemperature = 0.7;
    static constexpr std::int64_t kWarmupSteps = 200;
    static constexpr double kMaxGradNorm = 50.0;

private:
    GlowConfig m_config;
    at::Device m_device;
    double m_lr;
    GlowNet m_net;
    std::unique_ptr<torch::optim::Adam> m_optimizer;
    std::int64_t m_step = 0;
    int m_badSteps = 0;  // consecutive non-finite losses
};

}  // namespace latent::flow
