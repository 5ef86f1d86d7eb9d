#pragma once
// One stretch of generated text and the token(s) that produced it: usually
// one token; several when a character's bytes were split across tokens.
#include <cstdint>
#include <vector>

#include "latent/Chunk.h"

namespace latent {

struct TokenSpan {
    int start = 0;   // character position in the document
    int length = 0;
    std::vector<std::int32_t> ids;
    std::vector<float> logprobs;  // natural log, one per id
    std::vector<TokenAlternatives> alternatives;
    // The least likely token's probability decides the colour; 1 when unscored.
    double probability() const;
};

}  // namespace latent
