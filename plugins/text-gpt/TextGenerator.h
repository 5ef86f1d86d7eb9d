#pragma once
// The run state of one generation: context tokens, KV cache and the logits
// of the next position. Prompts go through the batched torch forward pass;
// single tokens through CpuDecoder on the CPU, the torch pass elsewhere.
#include <cstdint>
#include <memory>
#include <vector>

#include "CpuDecoder.h"
#include "GptModel.h"
#include "KvCache.h"

namespace latent::gpt {

class TextGenerator {
public:
    // `capacity`: positions the cache holds (at most the model's context).
    TextGenerator(std::shared_ptr<const GptModel> model, std::int64_t capacity);

    std::int64_t capacity() const { return m_cache.capacity(); }
    const std::vector<std::int32_t>& context() const { return m_context; }

    // Appends tokens in one batched pass; afterwards logits() belongs to the
    // last of them. Throws Error(Runtime) when they do not fit.
    void prefill(const std::vector<std::int32_t>& tokens);
    // Appends one token.
    void step(std::int32_t token);
    // Next-token logits (vocabulary size floats) after the last append.
    const std::vector<float>& logits() const { return m_logits; }
    // prefill() that also returns every position's logits [tokens, vocab]:
    // row i predicts the token after tokens[i] (for scoring text).
    void prefillScored(const std::vector<std::int32_t>& tokens, std::vector<float>& allLogits);

private:
    void append(const std::vector<std::int32_t>& tokens, std::vector<float>* allLogits);

    std::shared_ptr<const GptModel> m_model;
    KvCache m_cache;
    std::vector<std::int32_t> m_context;
    std::vector<float> m_logits;
    CpuDecoder::Workspace m_workspace;
};

}  // namespace latent::gpt
