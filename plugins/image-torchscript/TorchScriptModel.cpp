#include "TorchScriptModel.h"

#include <ATen/CPUGeneratorImpl.h>

#include "latent/Error.h"
#include "latent/plugin/torch/ScriptError.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent {

TorchScriptModel::TorchScriptModel(torch::jit::Module module, TorchScriptConfig config, std::string device)
    : m_module(std::move(module)), m_config(std::move(config)), m_device(std::move(device)) {
    for (const auto& p : m_module.parameters()) m_bytes += p.numel() * p.element_size();
    for (const auto& b : m_module.buffers()) m_bytes += b.numel() * b.element_size();
}

at::Tensor TorchScriptModel::forward(const at::Tensor& z, const at::Tensor& labels) {
    std::vector<torch::jit::IValue> inputs{z};
    if (labels.defined()) inputs.emplace_back(labels);
    torch::jit::IValue out;
    try {
        out = m_module.forward(inputs);
    } catch (const std::exception& e) {  // c10::Error, or torch::jit::JITException from a scripted `raise`
        rethrowScriptError(e, "the TorchScript generator");
    }
    if (!out.isTensor())
        throw Error(ErrorKind::Runtime, "the TorchScript generator returned " + out.tagKind() +
                                            ", expected one image tensor [batch, channels, height, width]");
    return out.toTensor();
}

void TorchScriptModel::run(JobContext& ctx) {
    const int64_t batch = ctx.intParam("batch");
    const double temperature = ctx.floatParam("temperature");
    const int64_t classParam = ctx.intParam("class");
    const int64_t dim = m_config.latentDim;

    // Latents are drawn on the CPU from the job's seed, so a seed gives the
    // same z (and image) on every device, and matches torch.randn(generator=...).
    auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed());
    at::Tensor z;
    const auto& given = ctx.inputs().latent;
    if (!given.empty()) {
        if (int64_t(given.size()) != dim && int64_t(given.size()) != batch * dim)
            throw Error(ErrorKind::BadArgument, "latent vector has " + std::to_string(given.size()) +
                                                    " values; this model takes " + std::to_string(dim) +
                                                    " per image");
        z = at::from_blob(const_cast<float*>(given.data()), {int64_t(given.size()) / dim, dim}, at::kFloat)
                .clone()
                .expand({batch, dim})
                .contiguous();
    } else {
        z = at::randn({batch, dim}, gen, at::kFloat);
    }
    // The latent each frame reports is z before the temperature: fed back as
    // inputs.latent with the same settings it gives the same image, which is
    // how the GUI re-renders an edited one.
    const at::Tensor reported = z.contiguous();
    if (temperature != 1.0) z = z * temperature;

    at::Tensor labels;
    if (m_config.numClasses > 0) {
        if (classParam >= m_config.numClasses)
            throw Error(ErrorKind::BadArgument, "class " + std::to_string(classParam) + " does not exist; this model has " +
                                                    std::to_string(m_config.numClasses) + " classes (0-" +
                                                    std::to_string(m_config.numClasses - 1) + ")");
        labels = classParam < 0 ? at::randint(m_config.numClasses, {batch}, gen, at::kLong)
                                : at::full({batch}, classParam, at::kLong);
        labels = labels.to(m_device);
    } else if (classParam >= 0) {
        throw Error(ErrorKind::BadArgument, "this model has no classes; leave 'class' at -1");
    }
    ctx.throwIfStopped();
    ctx.progress(0, 1, "generating");
    const at::Tensor images = forward(z.to(m_device), labels);
    ctx.throwIfStopped();
    if (images.dim() != 4 || images.size(0) != batch)
        throw Error(ErrorKind::Runtime, "the TorchScript generator returned shape " + tensorShapeText(images) +
                                            "; expected [" + std::to_string(batch) +
                                            ", channels (1, 3 or 4), height, width]");
    if (images.is_floating_point() && !at::isfinite(images).all().item<bool>())
        throw Error(ErrorKind::Runtime, "the TorchScript generator produced NaN or infinite values");
    auto frames = tensorToImageFrames(images, m_config.rangeLow, m_config.rangeHigh);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const float* row = reported.data_ptr<float>() + std::int64_t(i) * dim;
        frames[i].latent = makeSharedFloats(std::vector<float>(row, row + dim));
        ctx.emit(std::move(frames[i]));
    }
    ctx.progress(1, 1);
}

}  // namespace latent
