#include "GptPackageWriter.h"

#include <cmath>
#include <filesystem>
#include <sstream>
#include <utility>
#include <variant>
#include <vector>

#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include "Generation.h"
#include "GptModel.h"
#include "TextModelCard.h"
#include "latent/BuildInfo.h"
#include "latent/ModelPackage.h"
#include "latent/PackageFolder.h"
#include "latent/TextFormat.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::gpt::detail {

void writeTextPackage(JobContext& ctx, const TrainedTextModel& trained, const std::function<double()>& wallSeconds) {
    const TrainingSettings& s = trained.settings;
    const TextCorpus& corpus = trained.corpus;
    const TransformerConfig& config = trained.config;
    const json& configJson = trained.configJson;
    const text::BpeTokenizer& tok = trained.tokenizer;
    const auto& shipped = trained.shipped;
    const EvalResult& finalEval = trained.heldOut;

    const fs::path tmp = makeStagingFolder(s.out);
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
        const double wall = wallSeconds();
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
        // The card's samples were drawn with this penalty; small models loop without it.
        p.defaults = {{"repetition_penalty", 1.1}};
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
                      {"train_tokens", trained.trainTokens}, {"validation_tokens", trained.validationTokens}}},
            {"recipe", recipe.str()},
            {"training", {{"steps", s.steps}, {"batch", s.batch}, {"context", s.context}, {"lr", s.lr},
                          {"seed", s.seed}, {"device", s.device}, {"wall_seconds", std::round(wall)},
                          {"parameters", parameters}}},
            {"metrics", {{"val_loss_nats", finalEval.lossNats}, {"val_bits_per_byte", finalEval.bitsPerByte},
                         {"val_tokens_scored", finalEval.tokens}}},
            {"history", trained.history},
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
        replacePackageFolder(tmp, s.out, "text-gpt");
        ctx.log(LogLevel::Info, "wrote " + s.out.string() + ": held-out " + formatFixed(finalEval.bitsPerByte, 3) +
                                    " bits per byte");
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace latent::gpt::detail
