#include "latent/text/TokenizerFolder.h"


#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/text/BpeTokenizer.h"
#include "latent/text/SentencePieceTokenizer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::text {
namespace {

constexpr JsonLimits kTokenizerLimits{512u << 20, 32};

json readJsonOrEmpty(const fs::path& file) {
    return readJsonFileIfPresent(file, ErrorKind::Format, kTokenizerLimits).value_or(json::object());
}

// tokenizer_config.json often holds null where a flag is unset, and other
// types where other libraries put other things: only true/false counts.
bool flag(const json& j, const char* key, bool fallback) {
    if (!j.is_object()) return fallback;
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// tokenizer.json's post-processor says whether a BOS starts every sequence.
bool templateAddsBos(const json& doc) {
    if (!doc.is_object()) return false;
    const auto post = doc.find("post_processor");
    if (post == doc.end() || !post->is_object()) return false;
    auto type = [](const json& p) {
        const auto t = p.find("type");
        return t != p.end() && t->is_string() ? t->get<std::string>() : std::string();
    };
    auto startsWithSpecial = [](const json& p) {
        const auto single = p.find("single");
        return single != p.end() && single->is_array() && !single->empty() && single->front().is_object() &&
               single->front().contains("SpecialToken");
    };
    if (type(*post) == "TemplateProcessing") return startsWithSpecial(*post);
    if (type(*post) == "Sequence")
        if (const auto list = post->find("processors"); list != post->end() && list->is_array())
            for (const auto& p : *list)
                if (p.is_object() && type(p) == "TemplateProcessing" && startsWithSpecial(p)) return true;
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
        const JsonReader r(tokDoc, tokJson.string(), ErrorKind::Format);
        const std::string type = r.object("model").string("type", "BPE");
        tokenizerJsonIsBpe = type == "BPE";
        if (!tokenizerJsonIsBpe && !fs::exists(spModel))
            throw Error(ErrorKind::Format, tokJson.string() + ": tokenizer model '" + type +
                                               "' is not supported (supported: BPE, or a SentencePiece tokenizer.model)");
    }
    if (tokenizerJsonIsBpe) {
        out.tokenizer =
            std::make_shared<BpeTokenizer>(BpeTokenizer::readTokenizerJson(tokDoc, tokJson.string()), tokJson.string());
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
