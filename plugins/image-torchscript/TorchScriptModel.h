#pragma once
// A loaded TorchScript generator: forward(z) or forward(z, labels) -> [B, C, H, W].
#include <string>

#include <torch/script.h>

#include "latent/plugin/LoadedModel.h"

namespace latent {

struct TorchScriptConfig {
    std::string module;  // file inside the package
    int latentDim = 0;
    int numClasses = 0;
    double rangeLow = -1;
    double rangeHigh = 1;
};

class TorchScriptModel final : public LoadedModel {
public:
    TorchScriptModel(torch::jit::Module module, TorchScriptConfig config, std::string device);

    std::size_t memoryBytes() const override { return m_bytes; }
    void run(JobContext& ctx) override;

private:
    at::Tensor forward(const at::Tensor& z, const at::Tensor& labels);

    torch::jit::Module m_module;
    TorchScriptConfig m_config;
    std::string m_device;
    std::size_t m_bytes = 0;
};

}  // namespace latent
