#include "DdspTraining.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "CodePrior.h"
#include "DdspEvaluation.h"
#include "DdspGenerator.h"
#include "DdspNet.h"
#include "DdspPackage.h"
#include "DdspSettings.h"
#include "LogMel.h"
#include "SpectralLoss.h"
#include "TrainingData.h"
#include "latent/CheckpointFolder.h"
#include "latent/Error.h"
#include "latent/PackageFolder.h"
#include "latent/TextFormat.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"

namespace fs = std::filesystem;

namespace latent::ddsp {
namespace {

constexpr const char* kFamily = "audio-ddsp";

at::Generator stepGenerator(std::uint64_t seed, std::int64_t step, int stream) {
    return at::make_generator<at::CPUGeneratorImpl>(seed * 1000003ull + std::uint64_t(step) * 31ull + std::uint64_t(stream));
}

struct Run {
    JobContext& ctx;
    DdspSettings s;
    DdspConfig config;
    TrainingData train;
    DdspNet net{nullptr};
    CodePrior prior{nullptr};
    std::unique_ptr<torch::optim::Adam> opt{}, priorOpt{};
    std::int64_t step = 0, priorStep = 0;
    double wallSeconds = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

    double wall() const {
        return wallSeconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
};

void saveCheckpoint(Run& r, CheckpointFolder& folder) {
    folder.save([&](const fs::path& dir) {
        torch::save(r.net, (dir / "net.pt").string());
        torch::save(*r.opt, (dir / "opt.pt").string());
        if (r.prior) {
            torch::save(r.prior, (dir / "prior.pt").string());
            torch::save(*r.priorOpt, (dir / "prior-opt.pt").string());
        }
        const nlohmann::json state = {{"family", kFamily},        {"config", r.config.toJson()}, {"data", r.s.data},
                                      {"step", r.step},           {"prior_step", r.priorStep},
                                      {"wall_seconds", r.wall()}};
        writeFileAtomic(dir / "state.json", dumpJson(state, 1));
    });
}

bool resume(Run& r, CheckpointFolder& folder) {
    const auto set = folder.latest();
    if (!r.s.resume || !set || !fs::exists(*set / "state.json")) return false;
    const auto saved = readJsonFile(*set / "state.json");
    const JsonReader j(saved, (*set / "state.json").string());
    if (j.string("family", "") != kFamily || j.raw("config") != r.config.toJson() || j.string("data", "") != r.s.data)
        throw Error(ErrorKind::BadArgument, "the checkpoint in " + set->parent_path().string() +
                                                " belongs to another configuration or data set; delete that folder "
                                                "or set resume=false to start afresh");
    torch::load(r.net, (*set / "net.pt").string());
    torch::load(*r.opt, (*set / "opt.pt").string());
    if (r.prior && fs::exists(*set / "prior.pt")) {
        torch::load(r.prior, (*set / "prior.pt").string());
        torch::load(*r.priorOpt, (*set / "prior-opt.pt").string());
    }
    r.step = j.integer("step", 0, 0, INT64_MAX);
    r.priorStep = j.integer("prior_step", 0, 0, INT64_MAX);
    r.wallSeconds = j.number("wall_seconds", 0.0, 0.0, 1e12);
    r.ctx.log(LogLevel::Info, "resuming at step " + std::to_string(r.step) + " (prior " + std::to_string(r.priorStep) + ")");
    return true;
}

void trainAutoencoder(Run& r, CheckpointFolder& folder, const LogMel& mel) {
    const auto device = torch::Device(r.s.device);
    const std::int64_t n = r.train.size();
    const at::Tensor pitchedAll = pitchedFlags(r.config, r.train.classes);
    r.net->train();
    while (r.step < r.s.steps) {
        r.ctx.throwIfStopped();
        auto gen = stepGenerator(r.s.seed, r.step, 1);
        const at::Tensor idx = at::randint(n, {r.s.batch}, gen, at::kLong);
        const at::Tensor x = r.train.audio.index_select(0, idx).to(device);
        const Encoded e = r.net->encode(mel(x));
        at::Tensor latent, extra;
        if (r.config.isVq()) {
            latent = e.vq.quantized;
            extra = 0.25 * e.vq.commitment;
        } else {
            latent = e.mean + at::randn(e.mean.sizes(), gen, at::kFloat).to(device) * at::exp(0.5 * e.logvar);
            const at::Tensor kl = 0.5 * (e.mean.pow(2) + e.logvar.exp() - e.logvar - 1).sum(1).mean();
            extra = r.s.klWeight * kl;
        }
        const at::Tensor classes = r.train.classes.index_select(0, idx).to(device);
        const SynthControls c = r.net->controls(latent, r.net->embedClasses(classes),
                                                r.train.pitch.index_select(0, idx).to(device).to(at::kFloat),
                                                r.train.velocity.index_select(0, idx).to(device).to(at::kFloat) / 127.0,
                                                pitchedAll.index_select(0, idx).to(device));
        const at::Tensor y = synthesize(c, r.config, gen);
        const at::Tensor recon = spectralLoss(y, x);
        const at::Tensor loss = recon + extra;
        r.opt->zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(r.net->parameters(), 1.0);
        r.opt->step();
        ++r.step;
        if (r.step % 25 == 0 || r.step == 1) {
            r.ctx.emit(Metric{"spectral_loss", recon.item<double>(), r.step});
            std::string text = "step " + std::to_string(r.step) + "/" + std::to_string(r.s.steps) +
                               " spectral " + formatFixed(recon.item<double>(), 3);
            if (r.config.isVq())
                text += " perplexity " + formatFixed(r.net->quantizer->perplexity(), 1) + " usage " +
                        formatFixed(r.net->quantizer->usage(), 2);
            else
                text += " kl " + formatFixed(extra.item<double>() / std::max(r.s.klWeight, 1e-12), 2);
            r.ctx.progress(r.step, r.s.steps + r.s.priorSteps, text);
            if (r.step % 200 == 0 || r.step == 1) r.ctx.log(LogLevel::Info, text);
        }
        if (r.step % r.s.checkpointEvery == 0 || r.step == r.s.steps) saveCheckpoint(r, folder);
    }
}

void trainPrior(Run& r, CheckpointFolder& folder, const LogMel& mel) {
    const auto device = torch::Device(r.s.device);
    // The codes of every training clip, once: the prior learns to predict them.
    at::Tensor codes;
    {
        torch::NoGradGuard noGrad;
        r.net->eval();
        std::vector<at::Tensor> parts;
        for (std::int64_t i = 0; i < r.train.size(); i += 256) {
            const auto len = std::min<std::int64_t>(256, r.train.size() - i);
            parts.push_back(r.net->encode(mel(r.train.audio.narrow(0, i, len).to(device))).vq.codes);
        }
        codes = at::cat(parts);
    }
    r.prior->train();
    const std::int64_t n = codes.size(0);
    while (r.priorStep < r.s.priorSteps) {
        r.ctx.throwIfStopped();
        auto gen = stepGenerator(r.s.seed, r.priorStep, 2);
        const at::Tensor idx = at::randint(n, {r.s.batch * 2}, gen, at::kLong).to(device);
        const at::Tensor target = codes.index_select(0, idx);
        const at::Tensor logits = r.prior->forward(target, r.train.classes.to(device).index_select(0, idx),
                                                   r.train.pitch.to(device).index_select(0, idx),
                                                   r.train.velocity.to(device).index_select(0, idx));
        const at::Tensor loss = torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(2)}), target.flatten());
        r.priorOpt->zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(r.prior->parameters(), 1.0);
        r.priorOpt->step();
        ++r.priorStep;
        if (r.priorStep % 25 == 0) {
            r.ctx.emit(Metric{"prior_nll", loss.item<double>(), r.priorStep});
            const std::string text = "prior step " + std::to_string(r.priorStep) + "/" + std::to_string(r.s.priorSteps) +
                                     " nll " + formatFixed(loss.item<double>(), 3);
            r.ctx.progress(r.s.steps + r.priorStep, r.s.steps + r.s.priorSteps, text);
            if (r.priorStep % 200 == 0) r.ctx.log(LogLevel::Info, text);
        }
        if (r.priorStep % r.s.checkpointEvery == 0 || r.priorStep == r.s.priorSteps) saveCheckpoint(r, folder);
    }
}

}  // namespace

TaskInfo ddspTrainTask() {
    TaskInfo t;
    t.id = "train";
    t.label = "Train a sound model";
    ParamSpec bottleneck;
    bottleneck.name = "bottleneck";
    bottleneck.type = ParamType::Choice;
    bottleneck.label = "Bottleneck";
    bottleneck.description = "vae: a continuous latent for sliders; vq: discrete codes with a transformer prior";
    bottleneck.choices = {"vae", "vq"};
    bottleneck.defaultValue = std::string("vae");
    t.params = {
        ParamSpec::text("data", "Data", "fluidsynth,hydrogen,sonic-pi",
                        "Comma-separated sources: fluidsynth (GM notes and drum kits), hydrogen, sonic-pi"),
        ParamSpec::text("out", "Package folder", "", "Where the finished model package is written"),
        ParamSpec::text("id", "Model id", "", "Package id; default: the folder name"),
        ParamSpec::text("name", "Name", "", "Display name"),
        bottleneck,
        ParamSpec::integer("steps", "Steps", 1, 10'000'000, 6000, "steps", "Autoencoder optimisation steps"),
        ParamSpec::integer("prior_steps", "Prior steps", 0, 10'000'000, 3000, "steps", "Prior steps (vq only)"),
        ParamSpec::integer("batch", "Batch", 1, 1024, 16, "clips", "Clips per step"),
        ParamSpec::number("lr", "Learning rate", 1e-6, 1.0, 1e-3, 0, "Adam learning rate"),
        ParamSpec::number("kl_weight", "KL weight", 0.0, 10.0, 0.002, 0, "Weight of the VAE's KL term"),
        ParamSpec::integer("latent_dim", "Latent size", 1, 256, 8, "", "VAE global latent size"),
        ParamSpec::integer("hidden", "Width", 16, 1024, 160, "", "Convolution channels"),
        ParamSpec::integer("limit", "Training clips", 0, 10'000'000, 0, "clips", "Use at most this many; 0 = all"),
        ParamSpec::integer("classifier_steps", "Judge steps", 0, 100000, 1500, "steps",
                           "Steps of the evaluation classifier trained on real clips"),
        ParamSpec::integer("checkpoint_every", "Checkpoint every", 1, 10'000'000, 250, "steps",
                           "Save a resumable checkpoint this often"),
        ParamSpec::boolean("resume", "Resume", true, "Continue from the last checkpoint of this package folder"),
    };
    return t;
}

void runDdspTraining(JobContext& ctx) {
    at::AutoGradMode grad(true);  // a train job runs outside InferenceMode
    Run r{ctx, readDdspSettings(ctx), {}, {}};
    ctx.progress(0, 0, "building the data set (" + r.s.data + ")");
    audio::AudioDatasetRequest request;
    request.sources = r.s.data;
    request.split = "train";
    request.limit = r.s.limit;
    r.train = toTensors(audio::loadAudioDataset(request));
    for (const auto& notice : r.train.meta.notices) ctx.log(LogLevel::Info, notice);
    ctx.log(LogLevel::Info, "training on " + std::to_string(r.train.size()) + " clips in " +
                                std::to_string(r.train.meta.classNames.size()) + " classes");

    DdspConfig& c = r.config;
    c.sampleRateHz = r.train.meta.sampleRateHz;
    c.clipFrames = r.train.meta.clipFrames;
    c.classNames = r.train.meta.classNames;
    c.pitched.assign(c.classNames.size(), false);
    for (const auto& e : r.train.meta.examples) c.pitched[std::size_t(e.classId)] = e.midiPitch >= 0;
    c.bottleneck = r.s.bottleneck;
    c.latentDim = r.s.latentDim;
    c.hidden = r.s.hidden;

    torch::manual_seed(r.s.seed);
    r.net = DdspNet(c);
    r.net->to(torch::Device(r.s.device));
    r.opt = std::make_unique<torch::optim::Adam>(r.net->parameters(), torch::optim::AdamOptions(r.s.lr));
    if (c.isVq()) {
        r.prior = CodePrior(c);
        r.prior->to(torch::Device(r.s.device));
        r.priorOpt = std::make_unique<torch::optim::Adam>(r.prior->parameters(), torch::optim::AdamOptions(3e-4));
    }
    const fs::path work = trainingRunFolder(r.s.out);
    CheckpointFolder folder(work);
    resume(r, folder);
    const LogMel mel(c.sampleRateHz, 1024, c.hop, c.melBands);
    trainAutoencoder(r, folder, mel);
    if (c.isVq()) trainPrior(r, folder, mel);

    ctx.progress(r.s.steps + r.s.priorSteps, r.s.steps + r.s.priorSteps, "evaluating");
    r.net->eval();
    if (r.prior) r.prior->eval();
    torch::NoGradGuard noGrad;
    audio::AudioDatasetRequest testRequest = request;
    testRequest.split = "test";
    testRequest.limit = 0;
    const TrainingData test = toTensors(audio::loadAudioDataset(testRequest));
    const Evaluation eval = evaluate(ctx, r.net, r.prior ? &r.prior : nullptr, r.train, test, r.s);
    writeDdspPackage(ctx, r.net, r.prior ? &r.prior : nullptr, r.train, test, eval, r.s, r.step, r.priorStep, r.wall());
}

}  // namespace latent::ddsp
