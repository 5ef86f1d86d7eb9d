// Reading and writing the files BPE tokenizers come in: GPT-2's vocab.json +
// merges.txt and Hugging Face's tokenizer.json.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/text/BpeTokenizer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::text {
namespace {

std::string readWhole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorKind::Io, "cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

json parseJson(const fs::path& file) {
    try {
        return json::parse(readWhole(file));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Format, file.string() + " is not valid JSON: " + e.what());
    }
}

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

void addPreTokenizer(const json& pre, BpeSpec& spec, const std::string& where) {
    if (pre.is_null()) return;
    const std::string type = pre.value("type", "");
    if (type == "Sequence") {
        for (const auto& p : pre.at("pretokenizers")) addPreTokenizer(p, spec, where);
    } else if (type == "ByteLevel") {
        spec.mode = BpeSpec::Mode::ByteLevel;
        spec.addPrefixSpace = pre.value("add_prefix_space", false);
        if (pre.value("use_regex", true)) spec.splitPatterns.emplace_back(kGpt2SplitPattern);
    } else if (type == "Digits") {
        spec.individualDigits = pre.value("individual_digits", false);
        if (!spec.individualDigits) spec.splitPatterns.emplace_back(R"(\p{N}+)");
    } else if (type == "Split") {
        const json& pattern = pre.at("pattern");
        const std::string behaviour = pre.value("behavior", "Isolated");
        if (behaviour != "Isolated" || pre.value("invert", false))
            throw Error(ErrorKind::Format, where + ": Split pre-tokenizer behaviour '" + behaviour +
                                               "' is not supported (supported: Isolated)");
        if (pattern.contains("Regex")) {
            spec.splitPatterns.push_back(pattern.at("Regex").get<std::string>());
        } else {
            // A literal string: escape it for PCRE2 with \Q...\E.
            spec.splitPatterns.push_back("\\Q" + pattern.at("String").get<std::string>() + "\\E");
        }
    } else if (type == "Metaspace") {
        spec.mode = BpeSpec::Mode::Metaspace;
        const std::string scheme = pre.value("prepend_scheme", pre.value("add_prefix_space", true) ? "always" : "never");
        spec.addPrefixSpace = scheme != "never";
        if (pre.value("split", false))
            throw Error(ErrorKind::Format, where + ": a Metaspace pre-tokenizer with split=true is not supported");
    } else {
        throw Error(ErrorKind::Format, where + ": pre-tokenizer '" + type +
                                           "' is not supported (supported: ByteLevel, Split, Digits, Metaspace, "
                                           "Sequence)");
    }
}

// Llama 2 style: Prepend("▁") + Replace(" ", "▁") means metaspace encoding.
void addNormalizer(const json& norm, BpeSpec& spec, const std::string& where) {
    if (norm.is_null()) return;
    const std::string type = norm.value("type", "");
    if (type == "Sequence") {
        for (const auto& n : norm.at("normalizers")) addNormalizer(n, spec, where);
    } else if (type == "Prepend") {
        spec.mode = BpeSpec::Mode::Metaspace;
        spec.addPrefixSpace = true;
    } else if (type == "Replace") {
        const json& pattern = norm.at("pattern");
        if (!(pattern.contains("String") && pattern.at("String") == " " && norm.value("content", "") == "\xE2\x96\x81"))
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
    spec.vocab = vocabFromJson(parseJson(vocabJson), vocabJson.string());
    std::istringstream lines(readWhole(mergesTxt));
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
    const std::string where = file.string();
    const json doc = parseJson(file);
    BpeSpec spec;
    try {
        const json& model = doc.at("model");
        const std::string type = model.value("type", "BPE");
        if (type != "BPE")
            throw Error(ErrorKind::Format, where + ": tokenizer model '" + type +
                                               "' is not supported (supported: BPE; for SentencePiece models give "
                                               "tokenizer.model)");
        if (!model.value("continuing_subword_prefix", json()).is_null() ||
            !model.value("end_of_word_suffix", json()).is_null())
            throw Error(ErrorKind::Format, where + ": BPE with subword prefixes or word suffixes is not supported");
        spec.vocab = vocabFromJson(model.at("vocab"), where);
        std::size_t number = 0;
        for (const auto& m : model.at("merges")) {
            ++number;
            if (m.is_string()) spec.merges.push_back(splitMerge(m.get<std::string>(), number, where));
            else if (m.is_array() && m.size() == 2) spec.merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
            else throw Error(ErrorKind::Format, where + ": merge " + std::to_string(number) + " is malformed");
        }
        spec.byteFallback = model.value("byte_fallback", false);
        spec.ignoreMerges = model.value("ignore_merges", false);
        // Without a ByteLevel pre-tokenizer the model spells characters directly.
        spec.mode = BpeSpec::Mode::Metaspace;
        addNormalizer(doc.value("normalizer", json()), spec, where);
        addPreTokenizer(doc.value("pre_tokenizer", json()), spec, where);
        for (const auto& a : doc.value("added_tokens", json::array())) {
            AddedToken t;
            t.content = a.at("content").get<std::string>();
            t.id = a.at("id").get<TokenId>();
            t.special = a.value("special", true);
            if (t.id >= TokenId(spec.vocab.size())) spec.vocab.resize(std::size_t(t.id) + 1);
            if (spec.vocab[std::size_t(t.id)].empty()) spec.vocab[std::size_t(t.id)] = t.content;
            spec.added.push_back(std::move(t));
        }
        if (const json unk = model.value("unk_token", json()); unk.is_string()) {
            for (std::size_t id = 0; id < spec.vocab.size(); ++id)
                if (spec.vocab[id] == unk.get<std::string>()) spec.unkId = TokenId(id);
        }
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Format, where + " is not a tokenizer.json this version reads: " + e.what());
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
    writeFileAtomic(vocabJson, vocab.dump());
    writeFileAtomic(mergesTxt, merges);
}

}  // namespace latent::text
