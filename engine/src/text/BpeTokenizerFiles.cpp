// Reading and writing the files BPE tokenizers come in: GPT-2's vocab.json +
// merges.txt and Hugging Face's tokenizer.json.
#include <sstream>

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"
#include "latent/formats/ReadFile.h"
#include "latent/text/BpeTokenizer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::text {
namespace {

// Real tokenizer.json files reach ~20 MB (Llama 3, Qwen); nesting stays under 8.
constexpr JsonLimits kTokenizerLimits{512u << 20, 32};

// {"token": id, ...} -> id-ordered vector; ids must cover 0..n-1.
std::vector<std::string> vocabFromJson(const json& vocab, const std::string& where) {
    if (!vocab.is_object() || vocab.empty())
        throw Error(ErrorKind::Format, where + ": the vocabulary must be a non-empty {\"token\": id} object");
    std::vector<std::string> byId(vocab.size());
    std::vector<bool> seen(vocab.size(), false);
    for (const auto& [token, idValue] : vocab.items()) {
        if (!idValue.is_number_integer())
            throw Error(ErrorKind::Format, where + ": the id of token '" + token + "' is not an integer");
        const auto id = idValue.get<std::int64_t>();
        if (id < 0 || id >= std::int64_t(byId.size()) || seen[std::size_t(id)])
            throw Error(ErrorKind::Format, where + ": token '" + token + "' has id " + std::to_string(id) +
                                               "; ids must be 0.." + std::to_string(byId.size() - 1) + ", each once");
        byId[std::size_t(id)] = token;
        seen[std::size_t(id)] = true;
    }
    return byId;
}

std::pair<std::string, std::string> splitMerge(const std::string& line, std::size_t number, const std::string& where) {
    const auto space = line.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 >= line.size() ||
        line.find(' ', space + 1) != std::string::npos)
        throw Error(ErrorKind::Format, where + ": merge " + std::to_string(number) + " ('" + line +
                                           "') is not two tokens separated by one space");
    return {line.substr(0, space), line.substr(space + 1)};
}

bool isSpecialSpelling(const std::string& token) {
    return token.size() > 4 && token.compare(0, 2, "<|") == 0 && token.compare(token.size() - 2, 2, "|>") == 0;
}

void addPreTokenizer(const JsonReader& pre, BpeSpec& spec, const std::string& where) {
    if (pre.value().is_null()) return;
    const std::string type = pre.string("type", "");
    if (type == "Sequence") {
        const JsonReader list = pre.array("pretokenizers");
        for (std::size_t i = 0; i < list.size(); ++i) addPreTokenizer(list.at(i), spec, where);
    } else if (type == "ByteLevel") {
        spec.mode = BpeSpec::Mode::ByteLevel;
        spec.addPrefixSpace = pre.boolean("add_prefix_space", false);
        if (pre.boolean("use_regex", true)) spec.splitPatterns.emplace_back(kGpt2SplitPattern);
    } else if (type == "Digits") {
        spec.individualDigits = pre.boolean("individual_digits", false);
        if (!spec.individualDigits) spec.splitPatterns.emplace_back(R"(\p{N}+)");
    } else if (type == "Split") {
        const JsonReader pattern = pre.object("pattern");
        const std::string behaviour = pre.string("behavior", "Isolated");
        if (behaviour != "Isolated" || pre.boolean("invert", false))
            throw Error(ErrorKind::Format, where + ": Split pre-tokenizer behaviour '" + behaviour +
                                               "' is not supported (supported: Isolated)");
        if (pattern.has("Regex")) {
            spec.splitPatterns.push_back(pattern.string("Regex"));
        } else {
            // A literal string: escape it for PCRE2 with \Q...\E.
            spec.splitPatterns.push_back("\\Q" + pattern.string("String") + "\\E");
        }
    } else if (type == "Metaspace") {
        spec.mode = BpeSpec::Mode::Metaspace;
        const std::string scheme = pre.string("prepend_scheme", pre.boolean("add_prefix_space", true) ? "always" : "never");
        spec.addPrefixSpace = scheme != "never";
        if (pre.boolean("split", false))
            throw Error(ErrorKind::Format, where + ": a Metaspace pre-tokenizer with split=true is not supported");
    } else {
        throw Error(ErrorKind::Format, where + ": pre-tokenizer '" + type +
                                           "' is not supported (supported: ByteLevel, Split, Digits, Metaspace, "
                                           "Sequence)");
    }
}

// Llama 2 style: Prepend("▁") + Replace(" ", "▁") means metaspace encoding.
void addNormalizer(const JsonReader& norm, BpeSpec& spec, const std::string& where) {
    if (norm.value().is_null()) return;
    const std::string type = norm.string("type", "");
    if (type == "Sequence") {
        const JsonReader list = norm.array("normalizers");
        for (std::size_t i = 0; i < list.size(); ++i) addNormalizer(list.at(i), spec, where);
    } else if (type == "Prepend") {
        spec.mode = BpeSpec::Mode::Metaspace;
        spec.addPrefixSpace = true;
    } else if (type == "Replace") {
        const JsonReader pattern = norm.object("pattern");
        if (!(pattern.has("String") && pattern.raw("String") == " " && norm.string("content", "") == "\xE2\x96\x81"))
            throw Error(ErrorKind::Format, where + ": only the normalizer Replace(' ' -> '▁') is supported");
        spec.mode = BpeSpec::Mode::Metaspace;
    } else if (type == "NFC") {
        // Composed input is the usual case; decomposed text still encodes,
        // possibly into more tokens.
    } else {
        throw Error(ErrorKind::Format, where + ": normalizer '" + type +
                                           "' is not supported (supported: Prepend, Replace, NFC, Sequence)");
    }
}

std::optional<TokenId> addedId(const BpeSpec& spec, std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (const auto& a : spec.added)
            if (a.content == name) return a.id;
    return std::nullopt;
}

}  // namespace

BpeSpec BpeTokenizer::readGpt2Files(const fs::path& vocabJson, const fs::path& mergesTxt) {
    BpeSpec spec;
    spec.mode = BpeSpec::Mode::ByteLevel;
    spec.splitPatterns = {kGpt2SplitPattern};
    spec.vocab = vocabFromJson(readJsonFile(vocabJson, ErrorKind::Format, kTokenizerLimits), vocabJson.string());
    std::istringstream lines(readFileBounded(mergesTxt, ErrorKind::Format, kTokenizerLimits.maxBytes));
    std::string line;
    std::size_t number = 0;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || (number == 0 && line.rfind("#version", 0) == 0)) {
            if (!line.empty()) number = 0;
            continue;
        }
        spec.merges.push_back(splitMerge(line, ++number, mergesTxt.string()));
    }
    for (std::size_t id = 0; id < spec.vocab.size(); ++id)
        if (isSpecialSpelling(spec.vocab[id])) spec.added.push_back({spec.vocab[id], TokenId(id), true});
    spec.bosId = spec.eosId = addedId(spec, {"<|endoftext|>"});
    return spec;
}

BpeSpec BpeTokenizer::readTokenizerJson(const fs::path& file) {
    return readTokenizerJson(readJsonFile(file, ErrorKind::Format, kTokenizerLimits), file.string());
}

BpeSpec BpeTokenizer::readTokenizerJson(const json& doc, const std::string& where) {
    const JsonReader r(doc, where, ErrorKind::Format);
    BpeSpec spec;
    const JsonReader model = r.object("model");
    const std::string type = model.string("type", "BPE");
    if (type != "BPE")
        throw Error(ErrorKind::Format, where + ": tokenizer model '" + type +
                                           "' is not supported (supported: BPE; for SentencePiece models give "
                                           "tokenizer.model)");
    // Hugging Face's own converters write "" for "none".
    if (!model.string("continuing_subword_prefix", "").empty() || !model.string("end_of_word_suffix", "").empty())
        throw Error(ErrorKind::Format, where + ": BPE with subword prefixes or word suffixes is not supported");
    spec.vocab = vocabFromJson(model.raw("vocab"), where);
    const JsonReader merges = model.array("merges");
    for (std::size_t i = 0; i < merges.size(); ++i) {
        const JsonReader m = merges.at(i);
        if (m.value().is_string()) spec.merges.push_back(splitMerge(m.asString(), i + 1, where));
        else if (m.isArray() && m.size() == 2) spec.merges.emplace_back(m.at(0).asString(), m.at(1).asString());
        else m.failHere("must be \"a b\" or [\"a\", \"b\"]");
    }
    spec.byteFallback = model.boolean("byte_fallback", false);
    spec.ignoreMerges = model.boolean("ignore_merges", false);
    // Without a ByteLevel pre-tokenizer the model spells characters directly.
    spec.mode = BpeSpec::Mode::Metaspace;
    addNormalizer(JsonReader(r.raw("normalizer"), where, ErrorKind::Format, "normalizer"), spec, where);
    addPreTokenizer(JsonReader(r.raw("pre_tokenizer"), where, ErrorKind::Format, "pre_tokenizer"), spec, where);
    if (const auto added = r.optionalArray("added_tokens")) {
        // Added tokens may extend the vocabulary, but by no more ids than
        // there are added tokens: an id of 2^31 must not ask for 64 GiB.
        const auto limit = std::int64_t(spec.vocab.size() + added->size());
        for (std::size_t i = 0; i < added->size(); ++i) {
            const JsonReader a = added->at(i);
            AddedToken t;
            t.content = a.nonEmptyString("content");
            t.id = TokenId(a.integer("id", 0, limit - 1));
            t.special = a.boolean("special", true);
            if (t.id >= TokenId(spec.vocab.size())) spec.vocab.resize(std::size_t(t.id) + 1);
            if (spec.vocab[std::size_t(t.id)].empty()) spec.vocab[std::size_t(t.id)] = t.content;
            spec.added.push_back(std::move(t));
        }
    }
    if (model.has("unk_token") && model.raw("unk_token").is_string()) {
        const std::string unk = model.string("unk_token");
        for (std::size_t id = 0; id < spec.vocab.size(); ++id)
            if (spec.vocab[id] == unk) spec.unkId = TokenId(id);
    }
    spec.bosId = addedId(spec, {"<s>", "<|begin_of_text|>", "<|endoftext|>", "<|im_start|>"});
    spec.eosId = addedId(spec, {"</s>", "<|end_of_text|>", "<|endoftext|>", "<|im_end|>"});
    return spec;
}

void BpeTokenizer::saveGpt2Files(const fs::path& vocabJson, const fs::path& mergesTxt) const {
    if (m_spec.mode != BpeSpec::Mode::ByteLevel)
        throw Error(ErrorKind::BadArgument, "only byte-level BPE tokenizers are written as vocab.json + merges.txt");
    json vocab = json::object();
    for (std::size_t id = 0; id < m_spec.vocab.size(); ++id) vocab[m_spec.vocab[id]] = id;
    std::string merges = "#version: 0.2\n";
    for (const auto& [a, b] : m_spec.merges) merges += a + " " + b + "\n";
    writeFileAtomic(vocabJson, dumpJson(vocab));
    writeFileAtomic(mergesTxt, merges);
}

}  // namespace latent::text
