#pragma once
// The hyper-parameters of a decoder-only transformer, read from (and written
// as) a Hugging Face config.json. Two families: GPT-2 (learned positions,
// LayerNorm, GELU, fused QKV with biases) and Llama (rotary positions,
// RMSNorm, SwiGLU, grouped-query attention, no biases).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace latent::gpt {

// Persisted in model.json: start at 1, never renumber.
enum class Architecture { Invalid = 0, Gpt2 = 1, Llama = 2 };

struct TransformerConfig {
    Architecture arch = Architecture::Gpt2;
    std::int64_t vocabSize = 0;
    std::int64_t dModel = 0;
    std::int64_t nLayer = 0;
    std::int64_t nHead = 0;
    std::int64_t nKvHead = 0;  // == nHead without grouped-query attention
    std::int64_t headDim = 0;
    std::int64_t dFf = 0;      // MLP hidden size
    std::int64_t maxPositions = 0;
    double normEps = 1e-5;
    double ropeTheta = 10000.0;
    bool tiedEmbeddings = true;
    std::optional<std::int64_t> bosId;
    std::optional<std::int64_t> eosId;

    // Throws Error(ModelPackage) naming `where` and the field; an unknown
    // model_type gets the list of supported ones.
    static TransformerConfig fromHuggingFace(const nlohmann::json& config, const std::string& where);
    nlohmann::json toHuggingFace() const;
    void validate(const std::string& where) const;

    std::string archName() const;  // "GPT-2", "Llama"
    std::int64_t parameterCount() const;
    std::int64_t qkvRows() const { return (nHead + 2 * nKvHead) * headDim; }
};

}  // namespace latent::gpt
