#include "GptTraining.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include "GptModel.h"
#include "TextCorpus.h"
#include "TextModelCard.h"
#include "Generation.h"
#include "TransformerForward.h"
#include "latent/BuildInfo.h"
#include "latent/Error.h"
#include "latent/TextFormat.h"
#include "latent/ModelPackage.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/torch/SafetensorsTorch.h"
#include "latent/text/BpeTrainer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::gpt {
namespace {

struct Settings {
    std::vector<std::string> data;
    std::vector<std::string> extensions;
    fs::path out;
    std::string id, name, dataName, dataLicense;
    std::int64_t steps = 0, batch = 0, context = 0, vocab = 0, width = 0, layers = 0, heads = 0;
    std::int64_t evalEvery = 0, checkpointEvery = 0, holdOutEvery = 0, maxBytes = 0, tokenizerBytes = 0;
    double lr = 0;
    bool resume = true;
    std::uint64_t seed = 0;
    std::string device;
};

std::vector<std::string> splitList(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep))
        if (!cur.empty()) out.push_back(cur);
    return out;
}

Settings readSettings(JobContext& ctx) {
    Settings s;
    s.data = splitList(ctx.stringParam("data"), ';');
    if (s.data.empty()) throw Error(ErrorKind::BadArgument, "no training data given (data: files or folders)");
    for (auto& e : splitList(ctx.stringParam("extensions"), ',')) s.extensions.push_back(e[0] == '.' ? e : "." + e);
    const std::string out = ctx.stringParam("out");
    if (out.empty()) throw Error(ErrorKind::BadArgument, "no output folder given for the trained package (out)");
    s.out = fs::absolute(out).lexically_normal();
    if (!s.out.has_filename()) s.out = s.out.parent_path();
    s.id = ctx.stringParam("id");
    s.name = ctx.stringParam("name");
    s.dataName = ctx.stringParam("data_name");
    s.dataLicense = ctx.stringParam("data_license");
    s.steps = ctx.intParam("steps");
    s.batch = ctx.intParam("batch");
    s.context = ctx.intParam("context");
    s.vocab = ctx.intParam("vocab");
    s.width = ctx.intParam("width");
    s.layers = ctx.intParam("layers");
    s.heads = ctx.intParam("heads");
    s.evalEvery = ctx.intParam("eval_every");
    s.checkpointEvery = ctx.intParam("checkpoint_every");
    s.holdOutEvery = ctx.intParam("hold_out_every");
    s.maxBytes = ctx.intParam("max_bytes");
    s.tokenizerBytes = ctx.intParam("tokenizer_bytes");
    s.lr = ctx.floatParam("lr");
    s.resume = ctx.boolParam("resume");
    s.seed = ctx.seed();
    s.device = ctx.device();
    if (s.width % s.heads != 0)
        throw Error(ErrorKind::BadArgument, "the width (" + std::to_string(s.width) + ") must be a multiple of the " +
                                                std::to_string(s.heads) + " heads");
    return s;
}

json readJson(const fs::path& file) {
    std::ifstream in(file);
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Format, file.string() + " is not valid JSON: " + e.what());
    }
}

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

std::vector<std::int32_t> encodeDocuments(const text::Tokenizer& tok, const std::vector<TextDocument>& docs,
                                          JobContext& ctx, const std::string& what) {
    std::vector<std::int32_t> ids;
    const std::int32_t eos = *tok.eosId();
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto part = tok.encode(docs[i].text);
        ids.insert(ids.end(), part.begin(), part.end());
        ids.push_back(eos);
        if (i % 64 == 0) {
            ctx.throwIfStopped();
            ctx.progress(0, 1, "tokenizing " + what + " (" + std::to_string(i) + "/" + std::to_string(docs.size()) +
                                   " files)");
        }
    }
    return ids;
}

// Windows of context+1 tokens: inputs are the first `context`, targets the last.
at::Tensor batchFrom(const std::vector<std::int32_t>& ids, const std::vector<std::int64_t>& starts, std::int64_t context) {
    at::Tensor b = at::empty({std::int64_t(starts.size()), context + 1}, at::kLong);
    auto acc = b.accessor<std::int64_t, 2>();
    for (std::size_t r = 0; r < starts.size(); ++r)
        for (std::int64_t t = 0; t <= context; ++t) acc[std::int64_t(r)][t] = ids[std::size_t(starts[r] + t)];
    return b;
}

struct EvalResult {
    double lossNats = 0;     // per token
    double bitsPerByte = 0;
    std::int64_t tokens = 0;
};

// Mean loss over consecutive windows of the held-out stream (up to
// `maxWindows`), and bits per byte of the tokens predicted.
EvalResult evaluate(const std::map<std::string, at::Tensor>& params, const TransformerConfig& c,
                    const text::Tokenizer& tok, const std::vector<std::int32_t>& ids, std::int64_t context,
                    std::int64_t maxWindows, const torch::Device& device) {
    c10::InferenceMode inference;
    std::map<std::string, at::Tensor> detached;
    for (const auto& [n, t] : params) detached[n] = t.detach();
    const TransformerWeights w = TransformerWeights::fromHuggingFace(detached, c, "training");
    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0; s + context + 1 <= std::int64_t(ids.size()) && std::int64_t(starts.size()) < maxWindows;
         s += context)
        starts.push_back(s);
    EvalResult r;
    double nats = 0;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < starts.size(); i += 16) {
        const std::vector<std::int64_t> chunk(starts.begin() + std::ptrdiff_t(i),
                                              starts.begin() + std::ptrdiff_t(std::min(i + 16, starts.size())));
        const at::Tensor b = batchFrom(ids, chunk, context).to(device);
        const at::Tensor logits = transformerForward(w, c, b.narrow(1, 0, context), 0, nullptr);
        const at::Tensor targets = b.narrow(1, 1, context);
        nats += torch::nn::functional::cross_entropy(logits.reshape({-1, c.vocabSize}), targets.reshape({-1}),
                                                     torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
        r.tokens += targets.numel();
        for (auto s : chunk)
            for (std::int64_t t = 1; t <= context; ++t) {
                const auto id = ids[std::size_t(s + t)];
                // A document separator stands for one byte (like a newline),
                // not for the letters of its name.
                bytes += tok.isSpecial(id) ? 1 : tok.tokenBytes(id).size();
            }
    }
    if (r.tokens > 0) r.lossNats = nats / double(r.tokens);
    if (bytes > 0) r.bitsPerByte = nats / std::log(2.0) / double(bytes);
    return r;
}


}  // namespace

TaskInfo textTrainTask() {
    TaskInfo t;
    t.id = "train";
    t.label = "Train a language model";
    t.params = {
        ParamSpec::text("data", "Data", "", "Text files or folders to learn from; several separated by ';'"),
        ParamSpec::text("extensions", "File types", ".txt,.md", "File extensions read from folders, comma-separated"),
        ParamSpec::text("out", "Package folder", "", "Where the finished model package is written"),
        ParamSpec::text("id", "Model id", "", "Package id; default: the folder name"),
        ParamSpec::text("name", "Name", "", "Display name; default: from the data"),
        ParamSpec::text("data_name", "Data name", "", "How the model card names the data"),
        ParamSpec::text("data_license", "Data license", "", "The data's license, for the model card"),
        ParamSpec::integer("steps", "Steps", 1, 10'000'000, 4000, "steps", "Optimisation steps"),
        ParamSpec::integer("batch", "Batch", 1, 1024, 16, "sequences", "Sequences per step"),
        ParamSpec::integer("context", "Context", 8, 4096, 128, "tokens", "Tokens the model sees at once"),
        ParamSpec::integer("vocab", "Vocabulary", 260, 65536, 4096, "tokens", "Byte-level BPE vocabulary size"),
        ParamSpec::integer("width", "Width", 16, 4096, 192, "", "Model width (embedding size)"),
        ParamSpec::integer("layers", "Layers", 1, 96, 4, "", "Transformer blocks"),
        ParamSpec::integer("heads", "Heads", 1, 64, 6, "", "Attention heads (must divide the width)"),
        ParamSpec::number("lr", "Learning rate", 1e-6, 1.0, 2e-3, 0, "Peak AdamW learning rate (cosine decay)"),
        ParamSpec::integer("eval_every", "Validate every", 1, 10'000'000, 250, "steps", "Held-out loss this often"),
        ParamSpec::integer("checkpoint_every", "Checkpoint every", 1, 10'000'000, 250, "steps",
                           "Save a resumable checkpoint this often"),
        ParamSpec::integer("hold_out_every", "Hold out every", 2, 1000, 25, "files",
                           "Every n-th file is held out for validation"),
        ParamSpec::integer("max_bytes", "Data limit", 0, std::int64_t(1) << 40, 0, "bytes", "Read at most this much; 0 = all"),
        ParamSpec::integer("tokenizer_bytes", "Tokenizer sample", 0, std::int64_t(1) << 40, 8'000'000, "bytes",
                           "Training text the tokenizer learns from; 0 = all"),
        ParamSpec::boolean("resume", "Resume", true, "Continue from the last checkpoint of this package folder"),
    };
    return t;
}

void runTextTraining(JobContext& ctx) {
    std::optional<c10::InferenceMode> noInference;
    if (c10::InferenceMode::is_enabled()) noInference.emplace(false);
    torch::AutoGradMode grad(true);
    const Settings s = readSettings(ctx);
    const auto started = std::chrono::steady_clock::now();
    const torch::Device device(s.device);

    ctx.progress(0, s.steps, "reading text");
    const TextCorpus corpus =
        TextCorpus::load(s.data, s.extensions, int(s.holdOutEvery), std::uint64_t(s.maxBytes));
    ctx.log(LogLevel::Info, "data: " + std::to_string(corpus.train.size()) + " files (" +
                                std::to_string(corpus.trainBytes()) + " bytes) for training, " +
                                std::to_string(corpus.validation.size()) + " (" +
                                std::to_string(corpus.validationBytes()) + " bytes) held out");

    const fs::path work = s.out.parent_path() / (s.out.filename().string() + ".training");
    fs::create_directories(work);
    const fs::path stateFile = work / "state.json";
    const fs::path weightsFile = work / "checkpoint.safetensors";
    const fs::path optimizerFile = work / "optimizer.pt";
    json state = json::object();
    const bool resuming = s.resume && fs::exists(stateFile) && fs::exists(weightsFile) && fs::exists(optimizerFile) &&
                          fs::exists(work / "vocab.json");
    TransformerConfig config;
    config.arch = Architecture::Gpt2;
    config.dModel = s.width;
    config.nLayer = s.layers;
    config.nHead = config.nKvHead = s.heads;
    config.headDim = s.width / s.heads;
    config.dFf = 4 * s.width;
    config.maxPositions = s.context;

    // 1. Tokenizer: learned once per run and kept beside the checkpoint.
    if (!resuming) {
        text::BpeTrainer bpe({std::int32_t(s.vocab), 2, {"<|endoftext|>"}});
        std::uint64_t used = 0;
        for (const auto& d : corpus.train) {
            if (s.tokenizerBytes && used >= std::uint64_t(s.tokenizerBytes)) break;
            bpe.addText(d.text);
            used += d.text.size();
        }
        const auto spec = bpe.train([&](std::int64_t done, std::int64_t total) {
            ctx.progress(0, s.steps, "learning the tokenizer (" + std::to_string(done) + "/" + std::to_string(total) +
                                         " merges)");
            return !ctx.stopRequested();
        });
        text::BpeTokenizer(spec).saveGpt2Files(work / "vocab.json", work / "merges.txt");
    }
    const text::BpeTokenizer tok(text::BpeTokenizer::readGpt2Files(work / "vocab.json", work / "merges.txt"),
                                 (work / "vocab.json").string());
    config.vocabSize = tok.vocabSize();
    config.bosId = config.eosId = tok.eosId();
    config.validate("training");
    const json configJson = config.toHuggingFace();

    const auto trainIds = encodeDocuments(tok, corpus.train, ctx, "training text");
    const auto valIds = encodeDocuments(tok, corpus.validation, ctx, "held-out text");
    if (std::int64_t(trainIds.size()) <= s.context + 1 || std::int64_t(valIds.size()) <= s.context + 1)
        throw Error(ErrorKind::BadArgument, "too little text for a context of " + std::to_string(s.context) +
                                                " tokens (" + std::to_string(trainIds.size()) + " training and " +
                                                std::to_string(valIds.size()) + " held-out tokens)");
    ctx.log(LogLevel::Info, "tokens: " + std::to_string(trainIds.size()) + " training, " +
                                std::to_string(valIds.size()) + " held out (" +
                                formatFixed(double(corpus.trainBytes()) / double(trainIds.size()), 2) + " bytes per token)");

    // 2. Model and optimiser, fresh or from the checkpoint.
    torch::manual_seed(s.seed);
    std::map<std::string, at::Tensor> params = initParameters(config);
    std::int64_t step = 0;
    double wallBefore = 0;
    std::mt19937_64 rng(s.seed);
    std::vector<at::Tensor> decay, noDecay;
    auto collect = [&] {
        decay.clear();
        noDecay.clear();
        for (auto& [name, t] : params) (t.dim() >= 2 ? decay : noDecay).push_back(t);
    };
    if (resuming) {
        state = readJson(stateFile);
        if (state.value("config", json()) != configJson || state.value("data", json()) != json(s.data))
            throw Error(ErrorKind::BadArgument, "the checkpoint in " + work.string() +
                                                    " was made with other data or settings; delete that folder or "
                                                    "set resume=false to start afresh");
        const SafetensorsFile st(weightsFile);
        for (auto& [name, t] : loadSafetensorsTensors(st, "cpu")) {
            if (!params.count(name) || params[name].sizes() != t.sizes())
                throw Error(ErrorKind::Format, weightsFile.string() + ": tensor '" + name + "' does not fit the model");
            torch::NoGradGuard ng;
            params[name].copy_(t);
        }
        step = state.value("step", std::int64_t(0));
        wallBefore = state.value("wall_seconds", 0.0);
        std::istringstream(state.value("rng", std::string())) >> rng;
        ctx.log(LogLevel::Info, "resuming from step " + std::to_string(step));
    }
    for (auto& [name, t] : params) t = t.detach().to(device).set_requires_grad(true);
    collect();
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(s.lr).betas({0.9, 0.95}).weight_decay(0.1)));
    groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(s.lr).betas({0.9, 0.95}).weight_decay(0.0)));
    torch::optim::AdamW optimizer(std::move(groups));
    if (resuming) {
        torch::serialize::InputArchive archive;
        archive.load_from(optimizerFile.string());
        optimizer.load(archive);
    }

    auto wallNow = [&] {
        return wallBefore + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    auto saveCheckpoint = [&] {
        std::map<std::string, at::Tensor> cpu;
        for (const auto& [n, t] : params) cpu[n] = t.detach().cpu();
        saveSafetensorsTensors(weightsFile, cpu);
        torch::serialize::OutputArchive archive;
        optimizer.save(archive);
        const fs::path tmp = optimizerFile.string() + ".tmp";
        archive.save_to(tmp.string());
        fs::rename(tmp, optimizerFile);
        std::ostringstream r;
        r << rng;
        state = {{"step", step}, {"config", configJson}, {"data", s.data}, {"wall_seconds", wallNow()},
                 {"rng", r.str()}, {"history", state.value("history", json::array())}};
        writeFileAtomic(stateFile, state.dump(1));
    };

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
            ctx.log(LogLevel::Info, "stopped at step " + std::to_string(step) + "; the checkpoint in " + work.string() +
                                        " resumes it");
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
            auto history = state.value("history", json::array());
            history.push_back({{"step", step}, {"train_loss", smoothLoss}, {"val_loss", e.lossNats},
                               {"val_bits_per_byte", e.bitsPerByte}});
            state["history"] = history;
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

    const fs::path tmp = s.out.parent_path() / (".tmp-" + s.out.filename().string());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    try {
        saveSafetensorsTensors(tmp / "model.safetensors", shipped, {{"format", "pt"}});
        writeFileAtomic(tmp / "config.json", configJson.dump(2));
        tok.saveGpt2Files(tmp / "vocab.json", tmp / "merges.txt");
        writeFileAtomic(tmp / "tokenizer_config.json",
                        json{{"tokenizer_class", "GPT2Tokenizer"}, {"model_max_length", s.context},
                             {"bos_token", "<|endoftext|>"}, {"eos_token", "<|endoftext|>"},
                             {"add_bos_token", false}}
                            .dump(2));
        // Samples for the card, from the shipped weights.
        ctx.progress(s.steps, s.steps, "writing samples");
        auto model = GptModel::loadFolder(tmp, "cpu");
        const std::vector<std::string> prompts = sampleCardPrompts(corpus);
        std::vector<std::pair<std::string, std::string>> samples;
        for (std::size_t i = 0; i < prompts.size(); ++i) {
            c10::InferenceMode inference;
            text::SamplingParams sp;
            sp.temperature = 0.8;
            sp.topK = 40;
            sp.topP = 0.95;
            sp.repetitionPenalty = 1.1;
            samples.emplace_back(prompts[i], sampleContinuation(model, prompts[i], sp, s.seed + i, 120));
        }
        const double wall = wallNow();
        ModelPackage p;
        p.id = s.id.empty() ? s.out.filename().string() : s.id;
        const std::string dataName = s.dataName.empty() ? corpus.roots.front() : s.dataName;
        p.name = s.name.empty() ? "GPT · " + dataName : s.name;
        p.family = "text-gpt";
        p.version = "1.0.0";
        p.description = "A small GPT-2-architecture language model trained by Latent Studio on " + dataName + ".";
        p.tasks = {"text.generate", "text.complete", "text.score"};
        p.config = configJson;
        // The code editor highlights the language a code model was trained on.
        for (const auto& [ext, language] : std::vector<std::pair<std::string, std::string>>{
                 {".py", "python"}, {".go", "go"}, {".js", "javascript"}, {".cpp", "c++"}, {".c", "c"}})
            if (s.extensions.size() == 1 && s.extensions.front() == ext) p.config["language"] = language;
        p.defaults = json::object();
        p.license = "Model: MIT (Latent Studio). Training data: " + (s.dataLicense.empty() ? "see the data" : s.dataLicense);
        std::ostringstream recipe;
        recipe << "latent-studio train text";
        for (const auto& d : s.data) recipe << " --data " << d;
        recipe << " --out " << s.out.filename().string() << " --steps " << s.steps << " --seed " << s.seed;
        for (const auto& [key, value] : ctx.params()) {
            if (key == "data" || key == "out" || key == "steps" || key == "resume") continue;
            std::ostringstream v;
            std::visit([&](const auto& x) { v << x; }, value);
            if (v.str().empty()) continue;
            recipe << " --set '" << key << "=" << v.str() << "'";
        }
        std::int64_t parameters = 0;
        for (const auto& [n, t] : shipped) parameters += t.numel();
        p.provenance = {
            {"data", {{"name", dataName}, {"paths", s.data}, {"license", s.dataLicense},
                      {"train_files", corpus.train.size()}, {"train_bytes", corpus.trainBytes()},
                      {"validation_files", corpus.validation.size()}, {"validation_bytes", corpus.validationBytes()},
                      {"train_tokens", trainIds.size()}, {"validation_tokens", valIds.size()}}},
            {"recipe", recipe.str()},
            {"training", {{"steps", s.steps}, {"batch", s.batch}, {"context", s.context}, {"lr", s.lr},
                          {"seed", s.seed}, {"device", s.device}, {"wall_seconds", std::round(wall)},
                          {"parameters", parameters}}},
            {"metrics", {{"val_loss_nats", finalEval.lossNats}, {"val_bits_per_byte", finalEval.bitsPerByte},
                         {"val_tokens_scored", finalEval.tokens}}},
            {"history", state.value("history", json::array())},
            {"app_version", LATENT_APP_VERSION},
            {"torch_version", TORCH_VERSION}};
        TextModelCardInfo card{p, config, corpus, samples, finalEval.lossNats, finalEval.bitsPerByte,
                               finalEval.tokens, wall, parameters, recipe.str()};
        writeFileAtomic(tmp / "README.md", textModelCard(card));
        for (const char* f : {"model.safetensors", "config.json", "vocab.json", "merges.txt", "tokenizer_config.json",
                              "README.md"})
            p.files.push_back({f, fs::file_size(tmp / f), Sha256::fileHex(tmp / f)});
        p.dir = tmp;
        writeModelManifest(p, tmp / "model.json");
        std::error_code ec;
        const fs::path old = s.out.parent_path() / (".old-" + s.out.filename().string());
        fs::remove_all(old, ec);
        if (fs::exists(s.out)) fs::rename(s.out, old);
        fs::rename(tmp, s.out);
        fs::remove_all(old, ec);
        ctx.log(LogLevel::Info, "wrote " + s.out.string() + ": held-out " + formatFixed(finalEval.bitsPerByte, 3) +
                                    " bits per byte");
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    ctx.progress(s.steps, s.steps, "done");
}

}  // namespace latent::gpt
