#include "FlowImageNet.h"

#include <ATen/ATen.h>

#include "WeightCount.h"
#include "latent/Error.h"
#include "latent/formats/Safetensors.h"
#include "latent/plugin/torch/SafetensorsTorch.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent::flow {
namespace {

at::Device parseDevice(const std::string& device) {
    try {
        return at::Device(device);
    } catch (const c10::Error&) {
        throw Error(ErrorKind::Device, "unknown device '" + device + "'");
    }
}

}  // namespace

FlowImageNet::FlowImageNet(const GlowConfig& config, const std::filesystem::path& weights, const std::string& device)
    : m_config(config), m_net(nullptr), m_device(parseDevice(device)) {
    const SafetensorsFile file(weights);
    image::requireWeightsFitConfig(config.valueCount(), image::weightValueCount(file), weights.string());
    m_net = GlowNet(config);
    loadModuleWeights(*m_net, loadSafetensorsTensors(file, "cpu"), weights.string());
    m_net->to(m_device);
    // The loaded model never changes, so every W^-1 is computed once, here.
    m_net->freezeForInference();
    for (const auto& p : m_net->parameters()) m_bytes += std::size_t(p.numel() * p.element_size());
    for (const auto& b : m_net->buffers()) m_bytes += std::size_t(b.numel() * b.element_size());
}

at::Tensor FlowImageNet::sampleLatents(std::int64_t batch, const at::Tensor&, JobContext& ctx, at::Generator& gen) {
    const double temperature = ctx.floatParam("temperature");
    return at::randn({batch, m_config.dim()}, gen, at::kFloat) * temperature;
}

at::Tensor FlowImageNet::decode(const at::Tensor& latents) {
    if (latents.dim() != 2 || latents.size(1) != m_config.dim())
        throw Error(ErrorKind::BadArgument, "latents have shape " + tensorShapeText(latents) + "; this flow takes [N, " +
                                                std::to_string(m_config.dim()) + "]");
    at::NoGradGuard noGrad;
    const auto y = m_net->reverse(latents.to(m_device, at::kFloat));
    return (y + 0.5).clamp(0, 1);
}

at::Tensor FlowImageNet::toModel(const at::Tensor& images) const {
    if (images.dim() != 4 || images.size(1) != m_config.channels || images.size(2) != m_config.imageSize ||
        images.size(3) != m_config.imageSize)
        throw Error(ErrorKind::BadArgument, "images have shape " + tensorShapeText(images) + "; this flow takes [N, " +
                                                std::to_string(m_config.channels) + ", " +
                                                std::to_string(m_config.imageSize) + ", " +
                                                std::to_string(m_config.imageSize) + "]");
    return dequantizeImages(images.to(m_device, at::kFloat));
}

at::Tensor FlowImageNet::encode(const at::Tensor& images, JobContext& ctx, const EncodeStep&) {
    ctx.throwIfStopped();
    at::NoGradGuard noGrad;
    return m_net->forward(toModel(images)).eps.to(at::kCPU);
}

std::map<std::string, at::Tensor> FlowImageNet::scores(const at::Tensor& images) {
    at::NoGradGuard noGrad;
    const auto out = m_net->forward(toModel(images));
    return {{"bits_per_dim", bitsPerDim(out.logp, m_config.dim()).to(at::kCPU)}};
}

}  // namespace latent::flow
