#include "FlowTrainable.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"

namespace latent::flow {
namespace {

// The engine runs jobs inside c10::InferenceMode; tensors made or used for
// training must not be inference tensors, so training code leaves it.
class LeaveInferenceMode {
public:
    LeaveInferenceMode() {
        if (c10::InferenceMode::is_enabled()) m_guard.emplace(false);
    }

private:
    std::optional<c10::InferenceMode> m_guard;
};

// Evaluation and latents run in batches of this many images.
constexpr std::int64_t kEvalBatch = 256;
// Evaluation noise comes from a fixed seed, so the metric is comparable between runs.
constexpr std::uint64_t kEvalSeed = 20180709;
// Consecutive non-finite losses tolerated (skipped) before the run is declared diverged.
constexpr int kMaxBadSteps = 20;

at::Device parseDevice(const std::string& device) {
    try {
        return at::Device(device);
    } catch (const c10::Error&) {
        throw Error(ErrorKind::Device, "unknown device '" + device + "'");
    }
}

// Puts the net in eval mode for the scope (no actnorm initialisation), then back.
class EvalScope {
public:
    explicit EvalScope(GlowNet& net) : m_net(net), m_wasTraining(net->is_training()) { m_net->eval(); }
    ~EvalScope() { m_net->train(m_wasTraining); }
    EvalScope(const EvalScope&) = delete;
    EvalScope& operator=(const EvalScope&) = delete;

private:
    GlowNet& m_net;
    bool m_wasTraining;
};

}  // namespace

FlowTrainable::FlowTrainable(const GlowConfig& config, const std::string& device, double lr, std::uint64_t seed)
    : m_config(config), m_device(parseDevice(device)), m_lr(lr), m_net(nullptr) {
    LeaveInferenceMode guard;
    m_net = GlowNet(config);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    m_net->resetParameters(gen);
    m_net->to(m_device);
    m_net->train();
    m_optimizer = std::make_unique<torch::optim::Adam>(m_net->parameters(), torch::optim::AdamOptions(lr));
}

nlohmann::json FlowTrainable::config() const {
    return {{"image_size", m_config.imageSize},
            {"channels", m_config.channels},
            {"levels", m_config.levels},
            {"steps_per_level", m_config.stepsPerLevel},
            {"hidden", m_config.hidden}};
}

nlohmann::json FlowTrainable::defaults() const { return {{"temperature", kSampleTemperature}}; }

std::vector<std::string> FlowTrainable::tasks() const { return {"image.sample", "image.decode", "image.encode"}; }

std::map<std::string, double> FlowTrainable::trainStep(const at::Tensor& images, const at::Tensor&,
                                                       at::Generator& gen) {
    LeaveInferenceMode guard;
    torch::AutoGradMode enableGrad(true);
    m_net->train();
    // Linear warm-up: Adam's first steps on a freshly initialised flow overshoot easily.
    const double lr = m_lr * std::min(1.0, double(m_step + 1) / double(kWarmupSteps));
    for (auto& group : m_optimizer->param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);

    const auto noise = at::rand(images.sizes(), gen, at::kFloat).to(m_device);
    const auto y = dequantizeImages(images.to(m_device, at::kFloat), noise);
    const auto loss = bitsPerDim(m_net->forward(y).logp, m_config.dim()).mean();
    const double value = loss.item<double>();
    ++m_step;
    m_optimizer->zero_grad();
    if (!std::isfinite(value)) {
        // One bad batch should not poison the weights: skip it; many in a row mean divergence.
        if (++m_badSteps >= kMaxBadSteps)
            throw Error(ErrorKind::Runtime, "flow training diverged: bits/dim was not finite for " +
                                                std::to_string(m_badSteps) +
                                                " steps in a row; lower the learning rate");
        return {{"bits_per_dim", value}};
    }
    m_badSteps = 0;
    loss.backward();
    torch::nn::utils::clip_grad_norm_(m_net->parameters(), kMaxGradNorm);
    m_optimizer->step();
    return {{"bits_per_dim", value}};
}

at::Tensor FlowTrainable::sampleGrid(const at::Tensor& labels, at::Generator& gen) {
    at::NoGradGuard noGrad;
    EvalScope evalMode(m_net);
    const auto eps = at::randn({labels.size(0), m_config.dim()}, gen, at::kFloat) * kSampleTemperature;
    return (m_net->reverse(eps.to(m_device)) + 0.5).clamp(0, 1).to(at::kCPU);
}

std::map<std::string, double> FlowTrainable::evaluate(const image::ImageDataset&, const image::ImageDataset& test,
                                                      JobContext& ctx) {
    const auto n = test.size();
    if (n == 0) throw Error(ErrorKind::BadArgument, "the test split " + test.name + " has no images to evaluate on");
    at::NoGradGuard noGrad;
    EvalScope evalMode(m_net);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(kEvalSeed);
    double uniformSum = 0, midpointSum = 0;
    for (std::int64_t start = 0; start < n; start += kEvalBatch) {
        ctx.throwIfStopped();
        const auto batch = image::toUnitRange(test.images.slice(0, start, std::min(n, start + kEvalBatch)));
        const auto noise = at::rand(batch.sizes(), gen, at::kFloat).to(m_device);
        const auto images = batch.to(m_device, at::kFloat);
        uniformSum += bitsPerDim(m_net->forward(dequantizeImages(images, noise)).logp, m_config.dim()).sum().item<double>();
        midpointSum += bitsPerDim(m_net->forward(dequantizeImages(images)).logp, m_config.dim()).sum().item<double>();
    }
    return {{"test_bits_per_dim", uniformSum / double(n)}, {"test_bits_per_dim_midpoint", midpointSum / double(n)}};
}

at::Tensor FlowTrainable::latentsFor(const at::Tensor& images, const at::Tensor&, at::Generator&) {
    at::NoGradGuard noGrad;
    EvalScope evalMode(m_net);
    std::vector<at::Tensor> out;
    for (std::int64_t start = 0; start < images.size(0); start += kEvalBatch) {
        const auto batch = images.slice(0, start, std::min(images.size(0), start + kEvalBatch)).to(m_device, at::kFloat);
        out.push_back(m_net->forward(dequantizeImages(batch)).eps.to(at::kCPU));
    }
    if (out.empty()) return at::zeros({0, m_config.dim()});
    return at::cat(out, 0);
}

std::map<std::string, at::Tensor> FlowTrainable::weights() const {
    std::map<std::string, at::Tensor> out;
    for (const auto& [name, t] : moduleWeights(*m_net)) out[name] = t.detach().to(at::kCPU).clone();
    return out;
}

void FlowTrainable::saveCheckpoint(const std::filesystem::path& file) const {
    const auto tmp = std::filesystem::path(file.string() + ".tmp");
    try {
        torch::serialize::OutputArchive archive;
        m_net->save(archive);
        torch::serialize::OutputArchive optimizer;
        m_optimizer->save(optimizer);
        archive.write("optimizer", optimizer);
        archive.write("step", c10::IValue(m_step));
        archive.write("config", c10::IValue(config().dump()));
        archive.save_to(tmp.string());
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Io, "cannot write the flow checkpoint " + tmp.string() + ": " +
                                       e.what_without_backtrace());
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) throw Error(ErrorKind::Io, "cannot move the flow checkpoint into place at " + file.string() + ": " + ec.message());
}

void FlowTrainable::loadCheckpoint(const std::filesystem::path& file) {
    LeaveInferenceMode guard;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string(), m_device);
        c10::IValue savedConfig;
        archive.read("config", savedConfig);
        if (savedConfig.toStringRef() != config().dump())
            throw Error(ErrorKind::BadArgument, "the checkpoint " + file.string() + " is of a flow with config " +
                                                    savedConfig.toStringRef() + ", this run asks for " +
                                                    config().dump() + "; delete it or train with the same settings");
        m_net->load(archive);
        torch::serialize::InputArchive optimizer;
        archive.read("optimizer", optimizer);
        m_optimizer->load(optimizer);
        c10::IValue step;
        archive.read("step", step);
        m_step = step.toInt();
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, "cannot read the flow checkpoint " + file.string() + ": " +
                                           e.what_without_backtrace());
    }
}

}  // namespace latent::flow
