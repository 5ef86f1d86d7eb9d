#include "HuggingFaceFolder.h"

#include <algorithm>

#include "TransformerConfig.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/formats/Safetensors.h"
#include "latent/text/TokenizerFolder.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::gpt {

std::vector<std::string> huggingFaceWeightFiles(const fs::path& dir) {
    const fs::path index = dir / "model.safetensors.index.json";
    std::vector<std::string> files;
    if (const auto doc = readJsonFileIfPresent(index, ErrorKind::ModelPackage)) {
        const JsonReader r(*doc, index.string(), ErrorKind::ModelPackage);
        for (const auto& [tensor, file] : r.object("weight_map").members()) {
            const std::string name = file.asString();
            if (fs::path(name).filename().string() != name || fs::path(name).extension() != ".safetensors")
                file.failHere("must name a .safetensors file beside the index, not '" + name + "'");
            if (std::find(files.begin(), files.end(), name) == files.end()) files.push_back(name);
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) r.fail("weight_map", "names no weight files");
        return files;
    }
    if (fs::is_regular_file(dir / "model.safetensors")) return {"model.safetensors"};
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".safetensors") files.push_back(e.path().filename().string());
    if (files.empty())
        throw Error(ErrorKind::ModelPackage, dir.string() + " has no .safetensors weights (PyTorch .bin checkpoints are "
                                                            "not read: loading them can run code)");
    if (files.size() > 1)
        throw Error(ErrorKind::ModelPackage, dir.string() + " holds several .safetensors files but no "
                                                            "model.safetensors.index.json saying which are the model");
    return files;
}

namespace {

// Reads only the headers (memory-mapped, nothing hashed): a file that is not
// safetensors, or weights too few for the config, are refused before the
// importer spends minutes hashing them.
void checkWeightHeaders(const fs::path& dir, const std::vector<std::string>& files, const TransformerConfig& c) {
    std::int64_t total = 0;
    for (const auto& f : files) {
        const SafetensorsFile st(dir / f);
        for (const auto& t : st.tensors()) {
            if (t.dtype != TensorDType::F32 && t.dtype != TensorDType::F16 && t.dtype != TensorDType::BF16)
                throw Error(ErrorKind::ModelPackage, (dir / f).string() + ": tensor '" + t.name + "' is " +
                                                         dtypeName(t.dtype) + "; weights must be F32, F16 or BF16");
            total += t.numel();
        }
    }
    if (total < c.parameterCount())
        throw Error(ErrorKind::ModelPackage, dir.string() + ": the weights hold " + std::to_string(total) +
                                                 " values, but config.json describes a model of " +
                                                 std::to_string(c.parameterCount()) + " parameters");
}

}  // namespace

std::optional<ModelPackage> describeHuggingFaceFolder(const fs::path& dir) {
    const fs::path configFile = dir / "config.json";
    const auto config = readJsonFileIfPresent(configFile, ErrorKind::ModelPackage, {1u << 20, 32});
    if (!config || !config->is_object() || !config->contains("model_type")) return std::nullopt;
    const TransformerConfig c = TransformerConfig::fromHuggingFace(*config, configFile.string());
    const std::vector<std::string> weights = huggingFaceWeightFiles(dir);
    checkWeightHeaders(dir, weights, c);
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
    // The architecture as read, not the file's every key: config.json itself
    // travels in files[], and copying unknown keys into model.json would carry
    // whatever size or depth they have.
    p.config = c.toHuggingFace();
    // The weights first: the primary file's hash names the model in provenance.
    std::vector<std::string> files = weights;
    files.push_back("config.json");
    for (const auto& f : tok.files) files.push_back(f);
    for (const char* extra : {"generation_config.json", "model.safetensors.index.json", "README.md", "LICENSE"})
        if (fs::is_regular_file(dir / extra)) files.emplace_back(extra);
    for (const auto& f : files) p.files.push_back({f, 0, ""});
    return p;
}

}  // namespace latent::gpt
