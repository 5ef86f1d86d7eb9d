#include "GanTrainable.h"

#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <torch/autograd.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "ImageClassifier.h"
#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"

namespace latent::gan {
namespace {

constexpr std::int64_t kClassifierSteps = 1500;
constexpr std::int64_t kEvalSamples = 2000;
constexpr std::int64_t kEvalBatch = 250;
constexpr double kCoverageShare = 0.05;  // a class counts as covered from 5% of the samples

void setRequiresGrad(torch::nn::Module& m, bool on) {
    for (auto& p : m.parameters()) p.requires_grad_(on);
}

// Training needs autograd; the engine runs jobs inside InferenceMode.
struct TrainingMode {
    c10::InferenceMode normal{false};
    torch::AutoGradMode grad{true};
};

torch::optim::AdamOptions adamOptions(double lr) { return torch::optim::AdamOptions(lr).betas({0.0, 0.99}).eps(1e-8); }

}  // namespace

GanTrainable::GanTrainable(const GanConfig& config, const GanTrainOptions& options)
    : m_config(config), m_options(options), m_device(options.device) {
    TrainingMode mode;
    {
        // Initial weights from the run's seed, without disturbing anyone
        // else's use of torch's global generator.
        auto global = at::detail::getDefaultCPUGenerator();
        const at::Tensor saved = global.get_state();
        global.set_current_seed(options.seed);
        m_g = GanGenerator(config);
        m_d = GanDiscriminator(config);
        global.set_state(saved);
    }
    m_g->to(m_device);
    m_d->to(m_device);
    m_optG = std::make_unique<torch::optim::Adam>(m_g->parameters(), adamOptions(options.lr));
    m_optD = std::make_unique<torch::optim::Adam>(m_d->parameters(), adamOptions(options.lr));
}

nlohmann::json GanTrainable::defaults() const { return {{"truncation", 0.7}}; }

std::vector<std::string> GanTrainable::tasks() const { return {"image.sample", "image.decode", "image.encode"}; }

at::Tensor GanTrainable::resolveLabels(const at::Tensor& labels, std::int64_t batch, at::Generator& gen) const {
    if (m_config.numClasses <= 0) return {};
    at::Tensor y = labels.defined() ? labels.to(at::kCPU, at::kLong).clone() : at::full({batch}, -1, at::kLong);
    const at::Tensor missing = y < 0;
    if (missing.any().item<bool>())
        y = at::where(missing, at::randint(m_config.numClasses, {batch}, gen, at::kLong), y);
    if (y.max().item<std::int64_t>() >= m_config.numClasses)
        throw Error(ErrorKind::BadArgument, "label " + std::to_string(y.max().item<std::int64_t>()) +
                                                " is out of range; the model has " +
                                                std::to_string(m_config.numClasses) + " classes");
    return y.to(m_device);
}

std::map<std::string, double> GanTrainable::trainStep(const at::Tensor& images, const at::Tensor& labels,
                                                       at::Generator& gen) {
    TrainingMode mode;
    const std::int64_t batch = images.size(0);
    const at::Tensor real = images.to(m_device, at::kFloat) * 2.0 - 1.0;
    const at::Tensor y = resolveLabels(labels, batch, gen);
    auto drawZ = [&] { return at::randn({batch, m_config.zDim}, gen, at::kFloat).to(m_device); };

    // Discriminator: softplus(D(fake)) + softplus(-D(real)), plus lazy R1 on the reals.
    at::Tensor fake;
    {
        at::NoGradGuard noGrad;
        fake = m_g->synthesis(m_g->mapping(drawZ(), y), NoiseMode::Random, &gen);
    }
    const bool r1Step = m_options.r1Gamma > 0 && m_step % m_options.r1Interval == 0;
    const at::Tensor realIn = r1Step ? real.detach().requires_grad_(true) : real;
    const at::Tensor realLogits = m_d->forward(realIn, y);
    const at::Tensor lossD =
        at::softplus(m_d->forward(fake, y)).mean() + at::softplus(-realLogits).mean();
    at::Tensor totalD = lossD;
    if (r1Step) {
        const at::Tensor grad = torch::autograd::grad({realLogits.sum()}, {realIn}, {}, true, true)[0];
        const at::Tensor r1 = grad.square().sum({1, 2, 3}).mean();
        // Lazy regularisation: applied every N steps, so weighted N times.
        totalD = totalD + r1 * (m_options.r1Gamma / 2.0 * double(m_options.r1Interval));
        m_lastR1 = r1.item<double>();
    }
    m_optD->zero_grad();
    totalD.backward();
    m_optD->step();

    // Generator: softplus(-D(G(z))); D's weights stay out of this graph.
    setRequiresGrad(*m_d, false);
    const at::Tensor w = m_g->mapping(drawZ(), y, /*trackAverage=*/true);
    const at::Tensor lossG = at::softplus(-m_d->forward(m_g->synthesis(w, NoiseMode::Random, &gen), y)).mean();
    m_optG->zero_grad();
    lossG.backward();
    m_optG->step();
    setRequiresGrad(*m_d, true);

    ++m_step;
    const double lg = lossG.item<double>(), ld = lossD.item<double>();
    if (!std::isfinite(lg) || !std::isfinite(ld))
        throw Error(ErrorKind::Runtime, "GAN training diverged at step " + std::to_string(m_step) +
                                            " (loss is not finite); try a lower lr or a higher r1_gamma");
    return {{"loss_g", lg}, {"loss_d", ld}, {"r1", m_lastR1}};
}

at::Tensor GanTrainable::generate(std::int64_t n, const at::Tensor& labels, double psi, at::Generator& gen) {
    c10::InferenceMode normal(false);
    at::NoGradGuard noGrad;
    const at::Tensor z = at::randn({n, m_config.zDim}, gen, at::kFloat).to(m_device);
    const at::Tensor y = m_config.numClasses > 0 ? labels.to(m_device) : at::Tensor();
    const at::Tensor w = m_g->truncate(m_g->mapping(z, y), psi);
    return GanGeneratorImpl::toUnit(m_g->synthesis(w, NoiseMode::Const)).to(at::kCPU);
}

at::Tensor GanTrainable::sampleGrid(const at::Tensor& labels, at::Generator& gen) {
    return generate(labels.size(0), resolveLabels(labels, labels.size(0), gen), 1.0, gen);
}

std::map<std::string, double> GanTrainable::evaluate(const image::ImageDataset& train,
                                                     const image::ImageDataset& test, JobContext& ctx) {
    std::map<std::string, double> out;
    const auto classes = std::int64_t(train.classNames.size());
    if (classes < 2 || !train.labels.defined() || (train.labels < 0).all().item<bool>()) {
        ctx.log(LogLevel::Info, "the data has no class labels: no classifier metrics for this GAN");
        return out;
    }
    ctx.progress(0, 0, "training the evaluation classifier");
    auto classifier = image::ImageClassifier::train(train, ctx, kClassifierSteps, m_options.seed);
    if (test.size() > 0) out["classifier_test_accuracy"] = classifier->accuracy(test);

    auto gen = at::make_generator<at::CPUGeneratorImpl>(m_options.seed + 1);
    if (m_config.numClasses > 0) {
        // Samples of classes round-robin: how often the classifier sees the class that was asked for.
        for (const double psi : {1.0, 0.7}) {
            std::int64_t correct = 0;
            for (std::int64_t start = 0; start < kEvalSamples; start += kEvalBatch) {
                ctx.throwIfStopped();
                const std::int64_t n = std::min(kEvalBatch, kEvalSamples - start);
                const at::Tensor labels = at::arange(start, start + n, at::kLong) % m_config.numClasses;
                const at::Tensor predicted = classifier->predict(generate(n, labels, psi, gen)).to(at::kCPU);
                correct += (predicted == labels).sum().item<std::int64_t>();
            }
            out[psi == 1.0 ? "class_accuracy" : "class_accuracy_psi_0.7"] = double(correct) / double(kEvalSamples);
        }
    } else {
        // Unconditional: how many classes the samples cover at all (mode collapse shows here).
        at::Tensor counts = at::zeros({classes}, at::kLong);
        for (std::int64_t start = 0; start < kEvalSamples; start += kEvalBatch) {
            ctx.throwIfStopped();
            const std::int64_t n = std::min(kEvalBatch, kEvalSamples - start);
            const at::Tensor predicted =
                classifier->predict(generate(n, {}, 1.0, gen)).to(at::kCPU);
            counts += at::bincount(predicted.clamp(0, classes - 1), {}, classes);
        }
        const double covered = (counts.to(at::kDouble) >= kCoverageShare * double(kEvalSamples)).sum().item<double>();
        out["class_coverage"] = covered / double(classes);
    }
    return out;
}

at::Tensor GanTrainable::latentsFor(const at::Tensor& images, const at::Tensor& labels, at::Generator& gen) {
    c10::InferenceMode normal(false);
    at::NoGradGuard noGrad;
    const std::int64_t n = labels.defined() ? labels.size(0) : images.size(0);
    const at::Tensor y = resolveLabels(labels, n, gen);
    const at::Tensor z = at::randn({n, m_config.zDim}, gen, at::kFloat).to(m_device);
    return m_g->mapping(z, y).to(at::kCPU);
}

at::Tensor GanTrainable::latentMean() const { return m_g->wAvg().detach().to(at::kCPU).clone(); }

std::map<std::string, at::Tensor> GanTrainable::weights() const {
    std::map<std::string, at::Tensor> out;
    for (const auto& [name, t] : moduleWeights(*m_g)) out[name] = t.detach().to(at::kCPU).contiguous().clone();
    return out;
}

void GanTrainable::saveCheckpoint(const std::filesystem::path& file) const {
    torch::serialize::OutputArchive root, g, d, optG, optD;
    m_g->save(g);  // includes the w_avg buffer
    m_d->save(d);
    m_optG->save(optG);
    m_optD->save(optD);
    root.write("config", c10::IValue(m_config.toJson().dump()));
    root.write("generator", g);
    root.write("discriminator", d);
    root.write("optimizer_g", optG);
    root.write("optimizer_d", optD);
    root.write("step", at::tensor(m_step));
    root.write("last_r1", at::tensor(m_lastR1));
    // Atomic: a crash mid-write leaves the previous checkpoint intact.
    auto tmp = file;
    tmp += ".tmp";
    try {
        root.save_to(tmp.string());
        std::filesystem::rename(tmp, file);
    } catch (const std::exception& e) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw Error(ErrorKind::Io, "cannot write checkpoint " + file.string() + ": " + e.what());
    }
}

void GanTrainable::loadCheckpoint(const std::filesystem::path& file) {
    TrainingMode mode;
    torch::serialize::InputArchive root, g, d, optG, optD;
    try {
        root.load_from(file.string(), m_device);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, "cannot read checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
    c10::IValue config;
    root.read("config", config);
    const std::string mine = m_config.toJson().dump();
    if (!config.isString() || config.toStringRef() != mine)
        throw Error(ErrorKind::BadArgument, "checkpoint " + file.string() + " belongs to a GAN with config " +
                                                (config.isString() ? config.toStringRef() : std::string("?")) +
                                                ", this run builds " + mine +
                                                "; use the same settings or start afresh without resume");
    try {
        root.read("generator", g);
        root.read("discriminator", d);
        root.read("optimizer_g", optG);
        root.read("optimizer_d", optD);
        m_g->load(g);
        m_d->load(d);
        m_optG->load(optG);
        m_optD->load(optD);
        at::Tensor step, r1;
        root.read("step", step);
        root.read("last_r1", r1);
        m_step = step.item<std::int64_t>();
        m_lastR1 = r1.item<double>();
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, "checkpoint " + file.string() + " is damaged: " + e.what_without_backtrace());
    }
}

}  // namespace latent::gan
