#pragma once
// The training side of the image-gan family: generator and discriminator,
// their Adam optimisers, the non-saturating logistic loss with lazy R1, the
// w_avg EMA, and the model-card metrics (class accuracy of samples, judged by
// a classifier trained on the real data).

#include <cstdint>
#include <memory>

#include <torch/optim/adam.h>

#include "GanDiscriminator.h"
#include "GanGenerator.h"
#include "TrainableImageNet.h"

namespace latent::gan {

struct GanTrainOptions {
    double lr = 2e-3;
    double r1Gamma = 1.0;
    std::int64_t r1Interval = 4;  // lazy R1: every N steps, scaled by N
    std::uint64_t seed = 0;       // initial weights and evaluation samples
    std::string device = "cpu";
};

class GanTrainable final : public image::TrainableImageNet {
public:
    GanTrainable(const GanConfig& config, const GanTrainOptions& options);

    nlohmann::json config() const override { return m_config.toJson(); }
    nlohmann::json defaults() const override;
    std::vector<std::string> tasks() const override;
    std::string latentSpace() const override { return "w"; }
    std::int64_t latentDim() const override { return m_config.wDim; }

    std::map<std::string, double> trainStep(const at::Tensor& images, const at::Tensor& labels,
                                            at::Generator& gen) override;
    at::Tensor sampleGrid(const at::Tensor& labels, at::Generator& gen) override;
    std::map<std::string, double> evaluate(const image::ImageDataset& train, const image::ImageDataset& test,
                                           JobContext& ctx) override;
    at::Tensor latentsFor(const at::Tensor& images, const at::Tensor& labels, at::Generator& gen) override;
    at::Tensor latentMean() const override;
    std::map<std::string, at::Tensor> weights() const override;
    void saveCheckpoint(const std::filesystem::path& file) const override;
    void loadCheckpoint(const std::filesystem::path& file) override;

    GanGenerator& generator() { return m_g; }
    GanDiscriminator& discriminator() { return m_d; }
    std::int64_t steps() const { return m_step; }

private:
    // Labels for the generator: the batch's own, with -1 (and every label of
    // an unconditional model) resolved; undefined when unconditional.
    at::Tensor resolveLabels(const at::Tensor& labels, std::int64_t batch, at::Generator& gen) const;
    // n images [n, C, S, S] in [0, 1] (CPU) of `labels` (ignored when unconditional) at truncation psi.
    at::Tensor generate(std::int64_t n, const at::Tensor& labels, double psi, at::Generator& gen);

    GanConfig m_config;
    GanTrainOptions m_options;
    at::Device m_device;
    GanGenerator m_g{nullptr};
    GanDiscriminator m_d{nullptr};
    std::unique_ptr<torch::optim::Adam> m_optG, m_optD;
    std::int64_t m_step = 0;
    double m_lastR1 = 0;
};

}  // namespace latent::gan
