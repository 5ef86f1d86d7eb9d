#pragma once
// Byte-pair encoding as Hugging Face `tokenizers` and GPT-2 define it, in two
// flavours: byte-level (GPT-2, SmolLM2, Llama 3: every byte is a symbol, so
// any text encodes) and metaspace (Llama 2, TinyLlama: SentencePiece models
// converted to tokenizer.json, "▁" for spaces, unknown characters as <0xNN>
// byte tokens).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "latent/text/Tokenizer.h"

namespace latent::text {

class RegexSplitter;

struct AddedToken {
    std::string content;
    TokenId id = -1;
    bool special = true;
};

// What a tokenizer file describes, independent of its format.
struct BpeSpec {
    // Persisted in nothing; kept stable anyway.
    enum class Mode { Invalid = 0, ByteLevel = 1, Metaspace = 2 };
    Mode mode = Mode::ByteLevel;
    std::vector<std::string> vocab;  // id -> token as written in the file
    std::vector<std::pair<std::string, std::string>> merges;  // in priority order
    // Pre-tokenizer regexes applied in turn, each splitting every piece
    // ("Isolated" behaviour); GPT-2 uses kGpt2SplitPattern.
    std::vector<std::string> splitPatterns;
    bool individualDigits = false;  // HF Digits(individual_digits=true)
    bool addPrefixSpace = false;    // ByteLevel add_prefix_space / Metaspace prepend
    bool ignoreMerges = false;      // a word found whole in the vocab skips merging (Llama 3)
    bool byteFallback = false;      // metaspace: unknown characters become <0xNN>
    std::optional<TokenId> unkId;
    std::vector<AddedToken> added;
    std::optional<TokenId> bosId;
    std::optional<TokenId> eosId;
};

class BpeTokenizer final : public Tokenizer {
public:
    // Throws Error(Format) naming the problem (unknown merge symbols, ids
    // out of range, a pattern PCRE2 rejects).
    explicit BpeTokenizer(BpeSpec spec, std::string source = {});
    ~BpeTokenizer() override;

    // GPT-2's own files: vocab.json ({"token": id}) and merges.txt. Tokens
    // spelled "<|...|>" become special added tokens (GPT-2's <|endoftext|>).
    static BpeSpec readGpt2Files(const std::filesystem::path& vocabJson, const std::filesystem::path& mergesTxt);
    // A Hugging Face tokenizer.json whose model is BPE; throws Error(Format)
    // naming the unsupported part (model type, pre-tokenizer, normalizer).
    static BpeSpec readTokenizerJson(const std::filesystem::path& file);
    // The same from a parsed document; `where` names it in messages.
    static BpeSpec readTokenizerJson(const nlohmann::json& doc, const std::string& where);

    std::string kind() const override;
    std::int32_t vocabSize() const override { return std::int32_t(m_tokenBytes.size()); }
    std::vector<TokenId> encode(std::string_view text) const override;
    std::string tokenBytes(TokenId id) const override;
    std::string decode(const std::vector<TokenId>& ids) const override;
    std::optional<TokenId> bosId() const override { return m_spec.bosId; }
    std::optional<TokenId> eosId() const override { return m_spec.eosId; }
    bool isSpecial(TokenId id) const override;

    const BpeSpec& spec() const { return m_spec; }
    // Writes GPT-2 style vocab.json + merges.txt (byte-level mode only).
    void saveGpt2Files(const std::filesystem::path& vocabJson, const std::filesystem::path& mergesTxt) const;

private:
    void encodeSegment(std::string_view segment, std::vector<TokenId>& out) const;
    void encodeWord(std::string_view word, std::vector<TokenId>& out) const;
    void mergeSymbols(std::vector<TokenId>& symbols) const;

    BpeSpec m_spec;
    std::string m_source;
    std::unordered_map<std::string, TokenId> m_vocab;
    // (left id, right id) -> (rank, merged id)
    std::unordered_map<std::uint64_t, std::pair<std::int32_t, TokenId>> m_merges;
    std::vector<std::string> m_tokenBytes;  // id -> raw bytes
    std::vector<bool> m_special;
    std::vector<std::unique_ptr<RegexSplitter>> m_splitters;
    std::vector<std::pair<std::string, TokenId>> m_addedByLength;  // longest first
    std::string m_byteSymbols[256];  // byte-level: byte -> its vocab character (UTF-8)
};

// GPT-2's pre-tokenizer pattern (also the default of HF ByteLevel).
extern const char* const kGpt2SplitPattern;

}  // namespace latent::text
