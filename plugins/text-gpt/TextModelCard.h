#pragma once
// The README.md model card of a trained text model, and the prompts its
// samples start from.
#include <string>
#include <utility>
#include <vector>

#include "TextCorpus.h"
#include "TransformerConfig.h"
#include "latent/ModelPackage.h"

namespace latent::gpt {

struct TextModelCardInfo {
    const ModelPackage& package;
    const TransformerConfig& config;
    const TextCorpus& corpus;
    const std::vector<std::pair<std::string, std::string>>& samples;  // prompt, continuation
    double valLossNats = 0;
    double valBitsPerByte = 0;
    std::int64_t valTokens = 0;
    double wallSeconds = 0;
    std::int64_t parameters = 0;
    std::string recipe;
};

std::string textModelCard(const TextModelCardInfo& info);

// Openings of three held-out files (a line or a few words), so the card's
// samples start from text the model never trained on.
std::vector<std::string> sampleCardPrompts(const TextCorpus& corpus);

}  // namespace latent::gpt
