#pragma once
// A SentencePiece model (tokenizer.model, as Llama 2 and TinyLlama ship it),
// run by libsentencepiece itself so its normalisation and byte fallback are
// exactly the reference's. libsentencepiece is reached through
// liblatent_sentencepiece.so (beside liblatent_engine.so), loaded on first use
// in a symbol scope of its own: its bundled protobuf would clash with
// LibTorch's.
#include <filesystem>
#include <memory>

#include "latent/text/Tokenizer.h"

namespace latent::text {

class SentencePieceTokenizer final : public Tokenizer {
public:
    // Throws Error(Format) when the file is not a SentencePiece model.
    explicit SentencePieceTokenizer(const std::filesystem::path& modelFile);
    ~SentencePieceTokenizer() override;

    std::string kind() const override { return "SentencePiece"; }
    std::int32_t vocabSize() const override;
    std::vector<TokenId> encode(std::string_view text) const override;
    std::string tokenBytes(TokenId id) const override;
    std::string decode(const std::vector<TokenId>& ids) const override;
    std::optional<TokenId> bosId() const override;
    std::optional<TokenId> eosId() const override;
    bool isSpecial(TokenId id) const override;

private:
    struct Model;  // the shim's handle
    std::unique_ptr<Model> m_model;
    std::vector<std::string> m_tokenBytes;
    std::vector<bool> m_special;  // control or unknown
    std::optional<TokenId> m_bos;
    std::optional<TokenId> m_eos;
};

}  // namespace latent::text
