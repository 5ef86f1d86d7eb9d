#include "GanImageNet.h"

#include <cmath>
#include <numbers>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/optim/adam.h>

#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent::gan {
namespace {

constexpr double kProjectLr = 0.05;
constexpr int kStepEvery = 10;  // frames streamed during projection

at::Device parseDevice(const std::string& device) {
    try {
        return at::Device(device);
    } catch (const std::exception&) {
        throw Error(ErrorKind::Device, "unknown device '" + device + "'");
    }
}

}  // namespace

GanImageNet::GanImageNet(const GanConfig& config, const std::map<std::string, at::Tensor>& weights,
                         const std::string& source, const std::string& device)
    : m_config(config), m_device(parseDevice(device)) {
    // The engine loads models inside InferenceMode, but projection (encode)
    // runs autograd through these weights, and inference tensors cannot be
    // saved for backward: build them as normal tensors.
    c10::InferenceMode normal(false);
    m_generator = GanGenerator(config);
    loadModuleWeights(*m_generator, weights, source);
    try {
        m_generator->to(m_device);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Device, "cannot move the generator to " + device + ": " + e.what_without_backtrace());
    }
    // Inference only: projection optimises w, never the weights.
    for (auto& p : m_generator->parameters()) p.requires_grad_(false);
    m_generator->eval();
    for (const auto& [name, t] : moduleWeights(*m_generator)) m_bytes += std::size_t(t.numel()) * t.element_size();
}

at::Tensor GanImageNet::sampleLatents(std::int64_t batch, const at::Tensor& labels, JobContext& ctx,
                                      at::Generator& gen) {
    const double psi = ctx.floatParam("truncation");
    at::Tensor deviceLabels;
    if (m_config.numClasses > 0) {
        if (!labels.defined() || labels.numel() != batch)
            throw Error(ErrorKind::BadArgument, "this model is class-conditional: every image needs a class");
        const std::int64_t lo = labels.min().item<std::int64_t>(), hi = labels.max().item<std::int64_t>();
        if (lo < 0 || hi >= m_config.numClasses) {
            const std::int64_t bad = lo < 0 ? lo : hi;
            throw Error(ErrorKind::BadArgument, "class " + std::to_string(bad) + " does not exist; this model has " +
                                                    std::to_string(m_config.numClasses) + " classes (0-" +
                                                    std::to_string(m_config.numClasses - 1) + ")");
        }
        deviceLabels = labels.to(m_device, at::kLong);
    }
    const at::Tensor z = at::randn({batch, m_config.zDim}, gen, at::kFloat);
    at::NoGradGuard noGrad;
    const at::Tensor w = m_generator->mapping(z.to(m_device), deviceLabels);
    return m_generator->truncate(w, psi).to(at::kCPU);
}

at::Tensor GanImageNet::decode(const at::Tensor& latents) {
    if (latents.dim() != 2 || latents.size(1) != m_config.wDim)
        throw Error(ErrorKind::BadArgument, "latents have shape " + tensorShapeText(latents) + "; this model takes " +
                                                std::to_string(m_config.wDim) + " values (w) per image");
    at::NoGradGuard noGrad;
    return GanGeneratorImpl::toUnit(m_generator->synthesis(latents.to(m_device, at::kFloat), NoiseMode::Const));
}

at::Tensor GanImageNet::encode(const at::Tensor& images, JobContext& ctx, const EncodeStep& onStep) {
    if (images.dim() != 4 || images.size(1) != m_config.channels || images.size(2) != m_config.imageSize ||
        images.size(3) != m_config.imageSize)
        throw Error(ErrorKind::BadArgument, "image has shape " + tensorShapeText(images) + "; this model takes [B, " +
                                                std::to_string(m_config.channels) + ", " +
                                                std::to_string(m_config.imageSize) + ", " +
                                                std::to_string(m_config.imageSize) + "]");
    const std::int64_t steps = ctx.intParam("steps");
    if (steps < 1) throw Error(ErrorKind::BadArgument, "steps must be at least 1");
    const bool wasInference = c10::InferenceMode::is_enabled();
    // Projection optimises w by gradient descent: leave InferenceMode and turn autograd on.
    c10::InferenceMode normal(false);
    torch::AutoGradMode grad(true);

    const std::int64_t batch = images.size(0);
    const at::Tensor target = images.to(m_device, at::kFloat).clone();  // a normal tensor, usable by autograd
    const at::Tensor targetSmall = at::avg_pool2d(target, 2);
    at::Tensor w = m_generator->wAvg().detach().unsqueeze(0).repeat({batch, 1}).clone().requires_grad_(true);
    torch::optim::Adam optimiser({w}, torch::optim::AdamOptions(kProjectLr));
    auto& options = static_cast<torch::optim::AdamOptions&>(optimiser.param_groups()[0].options());

    auto report = [&](std::int64_t step) {
        // The callback decodes and emits frames: give it back the caller's mode.
        c10::InferenceMode restore(wasInference);
        onStep(int(step), int(steps), w.detach().to(at::kCPU).clone());
    };
    for (std::int64_t step = 1; step <= steps; ++step) {
        ctx.throwIfStopped();
        options.lr(kProjectLr * 0.5 * (1.0 + std::cos(std::numbers::pi * double(step - 1) / double(steps))));
        const at::Tensor image = GanGeneratorImpl::toUnit(m_generator->synthesis(w, NoiseMode::Const));
        // Pixel error plus error at half resolution, which weighs shape over texture.
        const at::Tensor loss =
            at::mse_loss(image, target) + 0.1 * at::mse_loss(at::avg_pool2d(image, 2), targetSmall);
        optimiser.zero_grad();
        loss.backward();
        optimiser.step();
        // A newer request on the same lane makes this result moot: stop early.
        const bool stale = ctx.stale();
        if (step % kStepEvery == 0 || step == steps || stale) report(step);
        if (stale) break;
    }
    return w.detach().to(at::kCPU).clone();
}

}  // namespace latent::gan
