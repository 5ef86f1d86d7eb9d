#pragma once
// The finished model package of a training run: float16 weights, Hugging
// Face config and tokenizer files, sample continuations, the model card and
// model.json with provenance, swapped into place only once complete.
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "GptEvaluation.h"
#include "GptTrainingSettings.h"
#include "TextCorpus.h"
#include "TransformerConfig.h"
#include "latent/JobContext.h"
#include "latent/text/BpeTokenizer.h"

namespace latent::gpt::detail {

struct TrainedTextModel {
    const TrainingSettings& settings;
    const TextCorpus& corpus;
    const TransformerConfig& config;
    const nlohmann::json& configJson;
    const text::BpeTokenizer& tokenizer;
    const std::map<std::string, at::Tensor>& shipped;  // "transformer."-prefixed, as written
    std::size_t trainTokens = 0;
    std::size_t validationTokens = 0;
    EvalResult heldOut;  // measured on exactly the shipped weights
    nlohmann::json history;
};

// Writes the package beside `settings.out` and then renames it into place,
// replacing what was there; a half-written package is removed.
// `wallSeconds` is asked after the samples are made, so they count.
void writeTextPackage(JobContext& ctx, const TrainedTextModel& trained, const std::function<double()>& wallSeconds);

}  // namespace latent::gpt::detail
