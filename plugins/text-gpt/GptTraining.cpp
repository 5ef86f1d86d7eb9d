// The training run from start to finish; the pieces it drives live in
// GptTrainingSettings, GptTrainingData, GptCheckpoint, GptEvaluation and
// GptPackageWriter.
#include "GptTraining.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <random>

#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include "GptCheckpoint.h"
#include "GptEvaluation.h"
#include "GptPackageWriter.h"
#include "GptTrainingData.h"
#include "GptTrainingSettings.h"
#include "TransformerForward.h"
#include "TransformerWeights.h"
#include "latent/Error.h"
#include "latent/TextFormat.h"

using nlohmann::json;

namespace latent::gpt {
namespace {

using namespace detail;

// GPT-2's initialisation: N(0, 0.02), residual projections scaled by depth.
std::map<std::string, at::Tensor> initParameters(const TransformerConfig& c) {
    std::map<std::string, at::Tensor> p;
    const double std0 = 0.02, stdRes = 0.02 / std::sqrt(2.0 * double(c.nLayer));
    const std::int64_t d = c.dModel, ff = c.dFf;
    p["wte.weight"] = at::randn({c.vocabSize, d}) * std0;
    p["wpe.weight"] = at::randn({c.maxPositions, d}) * 0.01;
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        const std::string n = "h." + std::to_string(i) + ".";
        p[n + "ln_1.weight"] = at::ones({d});
        p[n + "ln_1.bias"] = at::zeros({d});
        p[n + "attn.c_attn.weight"] = at::randn({d, 3 * d}) * std0;
        p[n + "attn.c_attn.bias"] = at::zeros({3 * d});
        p[n + "attn.c_proj.weight"] = at::randn({d, d}) * stdRes;
        p[n + "attn.c_proj.bias"] = at::zeros({d});
        p[n + "ln_2.weight"] = at::ones({d});
        p[n + "ln_2.bias"] = at::zeros({d});
        p[n + "mlp.c_fc.weight"] = at::randn({d, ff}) * std0;
        p[n + "mlp.c_fc.bias"] = at::zeros({ff});
        p[n + "mlp.c_proj.weight"] = at::randn({ff, d}) * stdRes;
        p[n + "mlp.c_proj.bias"] = at::zeros({d});
    }
    p["ln_f.weight"] = at::ones({d});
    p["ln_f.bias"] = at::zeros({d});
    for (auto& [name, t] : p) t.set_requires_grad(true);
    return p;
}

}  // namespace

void runTextTraining(JobContext& ctx) {
    torch::AutoGradMode grad(true);  // a train job runs outside InferenceMode
    const TrainingSettings s = readTrainingSettings(ctx);
    const auto started = std::chrono::steady_clock::now();
    const torch::Device device(s.device);

    ctx.progress(0, s.steps, "reading text");
    const TextCorpus corpus =
        TextCorpus::load(s.data, s.extensions, int(s.holdOutEvery), std::uint64_t(s.maxBytes));
    ctx.log(LogLevel::Info, "data: " + std::to_string(corpus.train.size()) + " files (" +
                                std::to_string(corpus.trainBytes()) + " bytes) for training, " +
                                std::to_string(corpus.validation.size()) + " (" +
                                std::to_string(corpus.validationBytes()) + " bytes) held out");

    TrainingCheckpoint checkpoint(s.out, s.resume, started);
    const bool resuming = checkpoint.resuming();
    TransformerConfig config;
    config.arch = Architecture::Gpt2;
    config.dModel = s.width;
    config.nLayer = s.layers;
    config.nHead = config.nKvHead = s.heads;
    config.headDim = s.width / s.heads;
    config.dFf = 4 * s.width;
    config.maxPositions = s.context;

    // 1. Tokenizer: learned once per run and kept beside the checkpoint.
    const text::BpeTokenizer tok = prepareTokenizer(ctx, s, corpus, checkpoint.folder(), !resuming);
    config.vocabSize = tok.vocabSize();
    config.bosId = config.eosId = tok.eosId();
    config.validate("training");
    const json configJson = config.toHuggingFace();

    const TokenStreams ids = encodeCorpus(ctx, tok, corpus, s.context);
    const auto& trainIds = ids.train;
    const auto& valIds = ids.validation;

    // 2. Model and optimiser, fresh or from the checkpoint.
    torch::manual_seed(s.seed);
    std::map<std::string, at::Tensor> params = initParameters(config);
    std::int64_t step = 0;
    std::mt19937_64 rng(s.seed);
    std::vector<at::Tensor> decay, noDecay;
    auto collect = [&] {
        decay.clear();
        noDecay.clear();
        for (auto& [name, t] : params) (t.dim() >= 2 ? decay : noDecay).push_back(t);
    };
    if (resuming) step = checkpoint.restore(ctx, params, configJson, s.data, rng);
    for (auto& [name, t] : params) t = t.detach().to(device).set_requires_grad(true);
    collect();
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(s.lr).betas({0.9, 0.95}).weight_decay(0.1)));
    groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(s.lr).betas({0.9, 0.95}).weight_decay(0.0)));
    torch::optim::AdamW optimizer(std::move(groups));
    if (resuming) checkpoint.restoreOptimizer(optimizer);

    auto saveCheckpoint = [&] { checkpoint.save(params, optimizer, step, configJson, s.data, rng); };

    // 3. Training loop: random windows, AdamW, warm-up then cosine decay.
    const std::int64_t warmup = std::min<std::int64_t>(200, s.steps / 10 + 1);
    std::uniform_int_distribution<std::int64_t> pick(0, std::int64_t(trainIds.size()) - s.context - 2);
    double smoothLoss = NAN;  // the first step of this run (fresh or resumed) seeds it
    auto tickStart = std::chrono::steady_clock::now();
    std::int64_t tickTokens = 0;
    double tokensPerSecond = 0;
    double lastVal = NAN;
    while (step < s.steps) {
        if (ctx.stopRequested()) {
            saveCheckpoint();
            ctx.log(LogLevel::Info, "stopped at step " + std::to_string(step) + "; the checkpoint in " +
                                        checkpoint.folder().string() + " resumes it");
            ctx.throwIfStopped();
        }
        const double lr = step < warmup ? s.lr * double(step + 1) / double(warmup)
                                        : s.lr * (0.1 + 0.9 * 0.5 *
                                                            (1 + std::cos(M_PI * double(step - warmup) /
                                                                          double(std::max<std::int64_t>(1, s.steps - warmup)))));
        for (auto& g : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        std::vector<std::int64_t> starts(std::size_t(s.batch));
        for (auto& st : starts) st = pick(rng);
        const at::Tensor b = batchFrom(trainIds, starts, s.context).to(device);
        const TransformerWeights w = TransformerWeights::fromHuggingFace(params, config, "training");
        const at::Tensor logits = transformerForward(w, config, b.narrow(1, 0, s.context), 0, nullptr);
        const at::Tensor loss = torch::nn::functional::cross_entropy(logits.reshape({-1, config.vocabSize}),
                                                                     b.narrow(1, 1, s.context).reshape({-1}));
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(decay, 1.0);
        torch::nn::utils::clip_grad_norm_(noDecay, 1.0);
        optimizer.step();
        ++step;
        const double l = loss.item<double>();
        if (!std::isfinite(l))
            throw Error(ErrorKind::Runtime, "training diverged at step " + std::to_string(step) +
                                                " (loss is not finite); lower the learning rate");
        smoothLoss = std::isnan(smoothLoss) ? l : 0.98 * smoothLoss + 0.02 * l;
        tickTokens += s.batch * s.context;
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - tickStart).count();
        if (secs > 5) {
            tokensPerSecond = double(tickTokens) / secs;
            tickTokens = 0;
            tickStart = std::chrono::steady_clock::now();
        }
        if (step % s.evalEvery == 0 || step == s.steps) {
            const EvalResult e = evaluate(params, config, tok, valIds, s.context, 64, device);
            lastVal = e.lossNats;
            ctx.emit(Metric{"val_loss", e.lossNats, step});
            ctx.emit(Metric{"val_bits_per_byte", e.bitsPerByte, step});
            checkpoint.addHistory({{"step", step}, {"train_loss", smoothLoss}, {"val_loss", e.lossNats},
                                   {"val_bits_per_byte", e.bitsPerByte}});
        }
        if (step % 10 == 0 || step == s.steps) {
            ctx.emit(Metric{"loss", smoothLoss, step});
            std::string msg = "step " + std::to_string(step) + "/" + std::to_string(s.steps) + " · loss " +
                              formatFixed(smoothLoss, 3);
            if (std::isfinite(lastVal)) msg += " · val " + formatFixed(lastVal, 3);
            if (tokensPerSecond > 0) msg += " · " + std::to_string(std::int64_t(tokensPerSecond)) + " tok/s";
            ctx.progress(step, s.steps, msg);
        }
        if (step % s.checkpointEvery == 0 || step == s.steps) saveCheckpoint();
    }

    // 4. The package: weights as float16 (half the size; the card's metric is
    // measured on exactly these weights), Hugging Face config and tokenizer.
    ctx.progress(s.steps, s.steps, "evaluating the held-out text");
    std::map<std::string, at::Tensor> shipped;
    for (const auto& [n, t] : params) shipped["transformer." + n] = t.detach().cpu().to(at::kHalf);
    {
        torch::NoGradGuard ng;
        for (auto& [n, t] : params) t.copy_(shipped["transformer." + n].to(at::kFloat));
    }
    const EvalResult finalEval = evaluate(params, config, tok, valIds, s.context, 4096, device);
    ctx.emit(Metric{"val_bits_per_byte", finalEval.bitsPerByte, step});

    writeTextPackage(ctx,
                     {s, corpus, config, configJson, tok, shipped, trainIds.size(), valIds.size(), finalEval,
                      checkpoint.history()},
                     [&] { return checkpoint.wallSeconds(); });
    ctx.progress(s.steps, s.steps, "done");
}

}  // namespace latent::gpt
