#include "VaeImageNet.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace latent::image {

VaeImageNet::VaeImageNet(VaeNet net, std::string device) : m_net(std::move(net)), m_device(std::move(device)) {
    m_net->eval();
    for (const auto& p : m_net->parameters()) m_bytes += std::size_t(p.numel()) * p.element_size();
}

at::Tensor VaeImageNet::sampleLatents(std::int64_t batch, const at::Tensor& /*labels*/, JobContext& ctx,
                                      at::Generator& gen) {
    // The prior is N(0, I); temperature scales it (below 1: more typical images).
    const double temperature = ctx.floatParam("temperature");
    return at::randn({batch, latentDim()}, gen, at::TensorOptions().dtype(at::kFloat)) * temperature;
}

at::Tensor VaeImageNet::decode(const at::Tensor& latents) {
    at::NoGradGuard noGrad;  // also when called outside the engine's InferenceMode
    return m_net->decode(latents.to(m_device, at::kFloat));
}

at::Tensor VaeImageNet::encode(const at::Tensor& images, JobContext& /*ctx*/, const EncodeStep& /*onStep*/) {
    // One encoder pass, no iterations to report: the posterior mean is the latent.
    at::NoGradGuard noGrad;
    return m_net->encode(images.to(m_device, at::kFloat)).mu;
}

std::map<std::string, at::Tensor> VaeImageNet::scores(const at::Tensor& images) {
    at::NoGradGuard noGrad;
    // ELBO at z = mu (see VaeNetImpl::elboAtMean): the same image always gets the same score.
    return {{"elbo_nats", m_net->elboAtMean(images.to(m_device, at::kFloat)).to(at::kCPU)}};
}

}  // namespace latent::image
