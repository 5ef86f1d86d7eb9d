#pragma once
// Picks the next token from a model's logits: temperature, top-k, top-p
// (nucleus) and a repetition penalty, driven by a seeded generator so the
// same seed and settings always give the same text.
#include <cstdint>
#include <random>
#include <vector>

#include "latent/text/Tokenizer.h"

namespace latent::text {

struct SamplingParams {
    double temperature = 0.8;        // 0: greedy (argmax)
    std::int32_t topK = 40;          // 0: no limit
    double topP = 0.95;              // 1: no limit
    double repetitionPenalty = 1.0;  // 1: off; >1 discourages tokens already in the context (CTRL's rule)
};

// The model's own view of one position (temperature 1, no filters): shown in
// the likelihood view whatever the sampling settings were.
struct TokenChoice {
    TokenId id = -1;
    float logprob = 0;                                  // of `id`
    std::vector<std::pair<TokenId, float>> alternatives;  // top-N (id, logprob), most likely first
};

class Sampler {
public:
    Sampler(SamplingParams params, std::uint64_t seed);

    // `logits` has one entry per vocabulary token; `context` holds the ids the
    // repetition penalty applies to. Greedy ties go to the lowest id.
    TokenId sample(const float* logits, std::int32_t vocab, const std::vector<TokenId>& context);

    const SamplingParams& params() const { return m_params; }

private:
    double uniform();

    SamplingParams m_params;
    std::mt19937_64 m_rng;
    std::vector<float> m_work;
    std::vector<std::int32_t> m_order;
    std::vector<char> m_seen;  // repetition penalty: tokens already penalised this call
};

// log-softmax of `logits` at `chosen`, plus the `topN` most likely tokens.
TokenChoice describeChoice(const float* logits, std::int32_t vocab, TokenId chosen, int topN);

}  // namespace latent::text
