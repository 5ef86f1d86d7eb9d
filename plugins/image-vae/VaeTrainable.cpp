#include "VaeTrainable.h"

#include <optional>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"

namespace latent::image {
namespace {

// The test metric draws its z from a fixed seed, so two evaluations of the
// same weights report the same number.
constexpr std::uint64_t kEvalSeed = 0x5eed5eedULL;
constexpr std::int64_t kEvalBatch = 256;

// Reparameterisation noise comes from `gen` on the generator's own device
// (the trainer's CPU generator), then moves: a seed gives the same run anywhere.
at::Tensor noiseLike(const at::Tensor& mu, at::Generator& gen) {
    return at::randn(mu.sizes(), gen, at::TensorOptions().dtype(at::kFloat).device(gen.device())).to(mu.device());
}

at::Tensor reparameterise(const VaeNetImpl::Posterior& q, at::Generator& gen) {
    return q.mu + at::exp(0.5 * q.logvar) * noiseLike(q.mu, gen);
}

std::string cError(const c10::Error& e) { return e.what_without_backtrace(); }

}  // namespace

VaeTrainable::VaeTrainable(const VaeConfig& config, const std::string& device, double lr)
    : m_net(config), m_device(device) {
    try {
        m_net->to(torch::Device(device));
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Device, "cannot train on device '" + device + "': " + cError(e));
    }
    m_optimizer = std::make_unique<torch::optim::Adam>(m_net->parameters(), torch::optim::AdamOptions(lr));
}

std::int64_t VaeTrainable::parameterCount() const {
    std::int64_t n = 0;
    for (const auto& p : m_net->parameters()) n += p.numel();
    return n;
}

at::Tensor VaeTrainable::toDeviceImages(const at::Tensor& images) const {
    at::Tensor x = images.scalar_type() == at::kByte ? toUnitRange(images) : images;
    x = x.to(m_device, at::kFloat);
    // Inference tensors (e.g. data prepared under the worker's InferenceMode)
    // cannot be saved for backward; a plain copy can.
    if (x.is_inference()) x = x.clone();
    return x;
}

std::map<std::string, double> VaeTrainable::trainStep(const at::Tensor& images, const at::Tensor& /*labels*/,
                                                      at::Generator& gen) {
    std::optional<c10::InferenceMode> noInference;
    if (c10::InferenceMode::is_enabled()) noInference.emplace(false);
    torch::AutoGradMode enableGrad(true);
    m_net->train();

    const at::Tensor x = toDeviceImages(images);
    const auto q = m_net->encode(x);
    const at::Tensor recon = VaeNetImpl::reconNats(m_net->decodeLogits(reparameterise(q, gen)), x);
    const at::Tensor kl = VaeNetImpl::klNats(q);
    const at::Tensor loss = (recon + m_net->config().beta * kl).mean();

    m_optimizer->zero_grad();
    loss.backward();
    m_optimizer->step();
    return {{"loss", loss.item<double>()}, {"recon", recon.mean().item<double>()}, {"kl", kl.mean().item<double>()}};
}

at::Tensor VaeTrainable::sampleGrid(const at::Tensor& labels, at::Generator& gen) {
    // Unconditional: the labels only say how many images to draw.
    at::NoGradGuard noGrad;
    m_net->eval();
    const at::Tensor z = at::randn({labels.size(0), latentDim()}, gen, at::TensorOptions().dtype(at::kFloat));
    return m_net->decode(z.to(m_device)).to(at::kCPU);
}

std::map<std::string, double> VaeTrainable::evaluate(const ImageDataset& /*train*/, const ImageDataset& test,
                                                     JobContext& ctx) {
    const std::int64_t n = test.size();
    if (n == 0) throw Error(ErrorKind::BadArgument, "the test split '" + test.name + "' has no images to evaluate on");
    at::NoGradGuard noGrad;
    m_net->eval();
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(kEvalSeed);
    double recon = 0, kl = 0;
    for (std::int64_t i = 0; i < n; i += kEvalBatch) {
        ctx.throwIfStopped();
        const at::Tensor x = toDeviceImages(test.images.slice(0, i, std::min(n, i + kEvalBatch)));
        const auto q = m_net->encode(x);
        recon += VaeNetImpl::reconNats(m_net->decodeLogits(reparameterise(q, gen)), x).sum().item<double>();
        kl += VaeNetImpl::klNats(q).sum().item<double>();
    }
    recon /= double(n);
    kl /= double(n);
    return {{"test_elbo_nats", -(recon + kl)}, {"test_recon_nats", recon}, {"test_kl_nats", kl}};
}

at::Tensor VaeTrainable::latentsFor(const at::Tensor& images, const at::Tensor& /*labels*/, at::Generator& /*gen*/) {
    at::NoGradGuard noGrad;
    m_net->eval();
    return m_net->encode(toDeviceImages(images)).mu.to(at::kCPU);
}

std::map<std::string, at::Tensor> VaeTrainable::weights() const {
    std::map<std::string, at::Tensor> out;
    for (const auto& [name, t] : moduleWeights(*m_net)) out[name] = t.detach().to(at::kCPU).clone();
    return out;
}

void VaeTrainable::saveCheckpoint(const std::filesystem::path& file) const {
    torch::serialize::OutputArchive model, optimizer, archive;
    m_net->save(model);
    m_optimizer->save(optimizer);
    archive.write("model", model);
    archive.write("optimizer", optimizer);
    // The config travels along so resuming with other settings fails clearly.
    archive.write("config", c10::IValue(m_net->config().toJson().dump()));
    const std::filesystem::path tmp = file.string() + ".tmp";
    std::error_code ec;
    try {
        archive.save_to(tmp.string());
    } catch (const c10::Error& e) {
        std::filesystem::remove(tmp, ec);
        throw Error(ErrorKind::Io, "cannot write checkpoint " + tmp.string() + ": " + cError(e));
    }
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        const std::string why = ec.message();
        std::filesystem::remove(tmp, ec);
        throw Error(ErrorKind::Io, "cannot move checkpoint into place at " + file.string() + ": " + why);
    }
}

void VaeTrainable::loadCheckpoint(const std::filesystem::path& file) {
    torch::serialize::InputArchive archive, model, optimizer;
    c10::IValue config;
    try {
        archive.load_from(file.string(), torch::Device(m_device));
        archive.read("config", config);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, "cannot read VAE checkpoint " + file.string() + ": " + cError(e));
    }
    const std::string mine = m_net->config().toJson().dump();
    if (!config.isString() || config.toStringRef() != mine)
        throw Error(ErrorKind::BadArgument, "checkpoint " + file.string() + " was trained with config " +
                                                (config.isString() ? config.toStringRef() : std::string("?")) +
                                                ", not " + mine + "; use the same settings or another --out folder");
    try {
        archive.read("model", model);
        archive.read("optimizer", optimizer);
        m_net->load(model);
        m_optimizer->load(optimizer);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, "cannot restore VAE checkpoint " + file.string() + ": " + cError(e));
    }
}

}  // namespace latent::image
