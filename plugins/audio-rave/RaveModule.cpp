#include "RaveModule.h"

#include "latent/Error.h"
#include "latent/plugin/torch/ScriptError.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent {

RaveModule::RaveModule(torch::jit::Module module, RaveSignature signature, std::string device)
    : m_module(std::move(module)), m_signature(signature), m_device(std::move(device)) {
    for (const auto& p : m_module.parameters()) m_bytes += p.numel() * p.element_size();
    for (const auto& b : m_module.buffers()) m_bytes += b.numel() * b.element_size();
}

at::Tensor RaveModule::call(const char* method, const RaveMethod& params, const at::Tensor& input) {
    const std::int64_t inFrames = input.size(2);
    const std::int64_t expected = inFrames * params.inRatio / params.outRatio;
    torch::jit::IValue out;
    try {
        out = m_module.get_method(method)({input.to(m_device)});
    } catch (const std::exception& e) {
        rethrowScriptError(e, std::string("the model's ") + method);
    }
    const std::string expectedShape = "[1, " + std::to_string(params.outChannels) + ", " + std::to_string(expected) + "]";
    if (!out.isTensor())
        throw Error(ErrorKind::Runtime, std::string("the model's ") + method + " returned " + out.tagKind() +
                                            ", expected a tensor " + expectedShape);
    at::Tensor t = out.toTensor();
    if (t.dim() != 3 || t.size(0) != 1 || t.size(1) != params.outChannels || t.size(2) != expected)
        throw Error(ErrorKind::Runtime, std::string("the model's ") + method + " returned shape " + tensorShapeText(t) +
                                            " for an input of " + tensorShapeText(input) + "; the nn~ convention it "
                                            "declares promises " + expectedShape);
    if (!t.is_floating_point())
        throw Error(ErrorKind::Runtime, std::string("the model's ") + method + " returned integers, not audio or latents");
    t = t.to(at::kCPU, at::kFloat).contiguous();
    if (!at::isfinite(t).all().item<bool>())
        throw Error(ErrorKind::Runtime, std::string("the model's ") + method + " produced NaN or infinite values");
    return t;
}

at::Tensor RaveModule::encode(const at::Tensor& audio) { return call("encode", m_signature.encode, audio); }

at::Tensor RaveModule::decode(const at::Tensor& latent) { return call("decode", m_signature.decode, latent); }

at::Tensor RaveModule::prior(const at::Tensor& temperature) {
    if (!m_signature.prior) throw Error(ErrorKind::BadArgument, "this model has no prior");
    return call("prior", *m_signature.prior, temperature);
}

void RaveModule::resetState() {
    if (!m_signature.streaming) return;
    for (const auto& b : m_module.named_buffers(true))
        if (isStreamingStateBuffer(b.name)) b.value.zero_();
}

}  // namespace latent
