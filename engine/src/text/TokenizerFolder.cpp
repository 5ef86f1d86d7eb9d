#include "latent/text/TokenizerFolder.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/text/BpeTokenizer.h"
#include "latent/text/SentencePieceTokenizer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::text {
namespace {

json readJsonOrEmpty(const fs::path& file) {
    std::ifstream in(file);
    if (!in) return json::object();
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Format, file.string() + " is not valid JSON: " + e.what());
    }
}

// tokenizer_config.json often holds null where a flag is unset.
bool flag(const json& j, const char* key, bool fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// tokenizer.json's post-processor says whether a BOS starts every sequence.
bool templateAddsBos(const json& doc) {
    const json post = doc.value("post_processor", json());
    if (!post.is_object()) return false;
    auto startsWithSpecial = [](const json& p) {
        const json single = p.value("single", json());
        return single.is_array() && !single.empty() && single.front().contains("SpecialToken");
    };
    if (post.value("type", "") == "TemplateProcessing") return startsWithSpecial(post);
    if (post.value("type", "") == "Sequence")
        for (const auto& p : post.value("processors", json::array()))
            if (p.value("type", "") == "TemplateProcessing" && startsWithSpecial(p)) return true;
    return false;
}

}  // namespace

TokenizerFolder loadTokenizerFolder(const fs::path& dir) {
    TokenizerFolder out;
    const json config = readJsonOrEmpty(dir / "tokenizer_config.json");
    const fs::path tokJson = dir / "tokenizer.json";
    const fs::path spModel = dir / "tokenizer.model";
    bool tokenizerJsonIsBpe = false;
    json tokDoc;
    if (fs::exists(tokJson)) {
        tokDoc = readJsonOrEmpty(tokJson);
        const json model = tokDoc.value("model", json::object());
        tokenizerJsonIsBpe = model.is_object() && model.value("type", "BPE") == "BPE";
        if (!tokenizerJsonIsBpe && !fs::exists(spModel))
            throw Error(ErrorKind::Format, tokJson.string() + ": tokenizer model '" + model.value("type", "?") +
                                               "' is not supported (supported: BPE, or a SentencePiece tokenizer.model)");
    }
    if (tokenizerJsonIsBpe) {
        out.tokenizer = std::make_shared<BpeTokenizer>(BpeTokenizer::readTokenizerJson(tokJson), tokJson.string());
        out.addBos = flag(config, "add_bos_token", templateAddsBos(tokDoc));
        out.files = {"tokenizer.json"};
    } else if (fs::exists(dir / "vocab.json") && fs::exists(dir / "merges.txt")) {
        out.tokenizer = std::make_shared<BpeTokenizer>(
            BpeTokenizer::readGpt2Files(dir / "vocab.json", dir / "merges.txt"), (dir / "vocab.json").string());
        out.addBos = flag(config, "add_bos_token", false);
        out.files = {"vocab.json", "merges.txt"};
    } else if (fs::exists(spModel)) {
        out.tokenizer = std::make_shared<SentencePieceTokenizer>(spModel);
        out.addBos = flag(config, "add_bos_token", true);  // Llama's convention
        out.files = {"tokenizer.model"};
    } else {
        throw Error(ErrorKind::ModelPackage, dir.string() +
                                                 " has no tokenizer: expected tokenizer.json, vocab.json + merges.txt, "
                                                 "or tokenizer.model");
    }
    if (fs::exists(dir / "tokenizer_config.json")) out.files.push_back("tokenizer_config.json");
    if (out.addBos && !out.tokenizer->bosId()) out.addBos = false;
    return out;
}

}  // namespace latent::text
