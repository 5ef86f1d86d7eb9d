#pragma once
// A text tokenizer: text <-> token ids. Implementations are immutable after
// loading, so one instance serves several jobs on several threads.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latent::text {

using TokenId = std::int32_t;

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // "byte-level BPE", "SentencePiece BPE": shown in model details.
    virtual std::string kind() const = 0;
    virtual std::int32_t vocabSize() const = 0;

    // Token ids for `text` (UTF-8). Special tokens written literally in the
    // text (e.g. "<|endoftext|>") become their ids. No BOS is added.
    virtual std::vector<TokenId> encode(std::string_view text) const = 0;

    // The bytes one token contributes when it follows other tokens. A token
    // may hold part of a UTF-8 character (byte-level and byte-fallback
    // vocabularies), so streams join these bytes before showing them.
    virtual std::string tokenBytes(TokenId id) const = 0;

    // The text of a whole sequence. Differs from joining tokenBytes() where
    // the tokenizer strips what it added when encoding (SentencePiece's
    // leading space).
    virtual std::string decode(const std::vector<TokenId>& ids) const;

    // Printable form of one token for hover views ("␣the", "<0x0A>").
    std::string displayText(TokenId id) const;

    virtual std::optional<TokenId> bosId() const { return std::nullopt; }
    virtual std::optional<TokenId> eosId() const { return std::nullopt; }
    // True for control tokens (BOS, EOS, padding) that never appear as text.
    virtual bool isSpecial(TokenId id) const = 0;
};

// The longest prefix of `bytes` that ends on a UTF-8 character boundary;
// a stream keeps the rest until the next token completes it. Invalid
// sequences are let through (as the decoder would show them) so they never
// hold back the stream.
std::size_t completeUtf8Prefix(std::string_view bytes);

}  // namespace latent::text
