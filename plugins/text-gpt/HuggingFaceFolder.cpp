#include "HuggingFaceFolder.h"

#include <algorithm>
#include <fstream>

#include "TransformerConfig.h"
#include "latent/Error.h"
#include "latent/text/TokenizerFolder.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::gpt {

std::optional<ModelPackage> describeHuggingFaceFolder(const fs::path& dir) {
    const fs::path configFile = dir / "config.json";
    std::ifstream in(configFile);
    if (!in) return std::nullopt;
    json config;
    try {
        config = json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::ModelPackage, configFile.string() + " is not valid JSON: " + e.what());
    }
    if (!config.is_object() || !config.contains("model_type")) return std::nullopt;
    const TransformerConfig c = TransformerConfig::fromHuggingFace(config, configFile.string());
    const text::TokenizerFolder tok = text::loadTokenizerFolder(dir);
    if (tok.tokenizer->vocabSize() > c.vocabSize)
        throw Error(ErrorKind::ModelPackage, dir.string() + ": the tokenizer has " +
                                                 std::to_string(tok.tokenizer->vocabSize()) +
                                                 " tokens but config.json's vocab_size is " + std::to_string(c.vocabSize));
    ModelPackage p;
    p.family = "text-gpt";
    p.tasks = {"text.generate", "text.complete", "text.score"};
    p.name = c.archName() + " · " + dir.filename().string();
    p.description = c.archName() + " architecture, " + std::to_string(c.nLayer) + " layers, width " +
                    std::to_string(c.dModel) + ", context " + std::to_string(c.maxPositions) + " tokens, " +
                    tok.tokenizer->kind() + " tokenizer (" + std::to_string(tok.tokenizer->vocabSize()) +
                    " tokens); imported from " + dir.string() + ".";
    p.config = config;
    std::vector<std::string> files{"config.json"};
    std::vector<std::string> weights;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".safetensors") weights.push_back(e.path().filename().string());
    std::sort(weights.begin(), weights.end());
    if (weights.empty())
        throw Error(ErrorKind::ModelPackage, dir.string() + " has no .safetensors weights (PyTorch .bin checkpoints are "
                                                            "not read: loading them can run code)");
    // The weights first: the primary file's hash names the model in provenance.
    files.insert(files.begin(), weights.begin(), weights.end());
    for (const auto& f : tok.files) files.push_back(f);
    for (const char* extra : {"generation_config.json", "model.safetensors.index.json", "README.md", "LICENSE"})
        if (fs::is_regular_file(dir / extra)) files.emplace_back(extra);
    for (const auto& f : files) p.files.push_back({f, 0, ""});
    return p;
}

}  // namespace latent::gpt
