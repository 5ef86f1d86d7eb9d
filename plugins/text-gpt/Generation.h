#pragma once
// The sampling loop shared by the panel's jobs and the trainer's card
// samples: sample, stream, stop on EOS, stop sequences, the token limit or a
// full context, and never show half a UTF-8 character or the start of a stop
// sequence before it is known not to be one.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "GptModel.h"
#include "TextGenerator.h"
#include "latent/text/Sampler.h"

namespace latent::gpt {

// Persisted in provenance: start at 1, never renumber.
enum class StopReason { Invalid = 0, MaxTokens = 1, EndOfText = 2, StopSequence = 3, ContextFull = 4 };
const char* stopReasonText(StopReason reason);

struct GenerationRequest {
    text::SamplingParams sampling;
    std::uint64_t seed = 0;
    std::int64_t maxNewTokens = 200;
    std::vector<std::string> stops;
    int alternatives = 5;  // top-N kept per token for the likelihood view
    bool stopAtEndOfText = true;
    // Token healing: the bytes of a prompt token taken back (healLastToken).
    // The first tokens are drawn among those that agree with them, and only
    // what follows them is written out.
    std::string healPrefix;
};

struct GeneratedToken {
    text::TokenChoice choice;  // id, log-probability, alternatives
    std::string text;          // text released by this token (may be empty or hold earlier tokens' bytes)
};

// Generates after what `gen` already holds (prefilled by the caller).
// `onToken` sees each token; `shouldStop` is asked before each one.
StopReason runGeneration(const GptModel& model, TextGenerator& gen, const GenerationRequest& request,
                         const std::function<void(const GeneratedToken&)>& onToken,
                         const std::function<bool()>& shouldStop, std::string* trailing);

// Convenience for card samples and tests: prompt in, continuation out.
std::string sampleContinuation(const std::shared_ptr<const GptModel>& model, const std::string& prompt,
                               const text::SamplingParams& sampling, std::uint64_t seed, std::int64_t maxNewTokens);

// The prompt ids a model sees: BOS where its tokenizer wants one.
std::vector<std::int32_t> promptTokens(const GptModel& model, const std::string& prompt);

// Takes the prompt's last token back (a trailing whitespace run whole) and
// returns its bytes (empty when there is nothing to take: a special token,
// or a single-token prompt).
// A prompt that stops mid-word or in indentation ends on a token boundary
// training text rarely has ("    " then "x" where the data had "   " then
// " x"), and the model answers it badly; the next token re-choosing those
// bytes fixes that. Used for code completion.
std::string healLastToken(const GptModel& model, std::vector<std::int32_t>& prompt);

}  // namespace latent::gpt
