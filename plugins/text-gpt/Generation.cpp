#include "Generation.h"

#include <algorithm>
#include <limits>

#include "latent/Error.h"
#include "latent/text/Tokenizer.h"

namespace latent::gpt {

const char* stopReasonText(StopReason reason) {
    switch (reason) {
    case StopReason::MaxTokens: return "reached the token limit";
    case StopReason::EndOfText: return "the model ended the text";
    case StopReason::StopSequence: return "hit a stop sequence";
    case StopReason::ContextFull: return "the context is full";
    default: return "stopped";
    }
}

std::vector<std::int32_t> promptTokens(const GptModel& model, const std::string& prompt) {
    std::vector<std::int32_t> ids;
    if (model.addBos && model.tokenizer->bosId()) ids.push_back(*model.tokenizer->bosId());
    const auto body = model.tokenizer->encode(prompt);
    ids.insert(ids.end(), body.begin(), body.end());
    // A model needs something to condition on: an empty prompt starts from
    // the start-of-text (or end-of-text, GPT-2's separator) token.
    if (ids.empty()) {
        if (const auto b = model.tokenizer->bosId()) ids.push_back(*b);
        else if (const auto e = model.tokenizer->eosId()) ids.push_back(*e);
        else
            throw Error(ErrorKind::BadArgument, "the prompt is empty, and this model's tokenizer has no start- or "
                                                "end-of-text token to begin from: write a prompt");
    }
    return ids;
}

std::string healLastToken(const GptModel& model, std::vector<std::int32_t>& prompt) {
    if (prompt.size() < 2 || model.tokenizer->isSpecial(prompt.back())) return {};
    std::string bytes = model.tokenizer->tokenBytes(prompt.back());
    prompt.pop_back();
    // A whitespace run may have been cut in two ("\n" + "    " where the
    // data had "\n   " + " return"): take all of it back.
    auto blank = [](const std::string& b) { return !b.empty() && b.find_first_not_of(" \t\r\n") == std::string::npos; };
    if (blank(bytes))
        while (prompt.size() > 1 && !model.tokenizer->isSpecial(prompt.back()) &&
               blank(model.tokenizer->tokenBytes(prompt.back()))) {
            bytes.insert(0, model.tokenizer->tokenBytes(prompt.back()));
            prompt.pop_back();
        }
    return bytes;
}

namespace {

// The logits with only the tokens that agree with the bytes still to heal:
// those starting with them, or a part of them (GPT-2-style tokenizers split
// "\n    return" as "\n   " + " return", so the indentation's first token
// is shorter than what was taken back).
std::vector<float> healedLogits(const GptModel& model, const float* logits, std::int32_t vocab,
                                const std::string& heal) {
    std::vector<float> out(logits, logits + vocab);
    for (std::int32_t id = 0; id < vocab; ++id) {
        const std::string b = model.tokenizer->isSpecial(id) ? std::string() : model.tokenizer->tokenBytes(id);
        const std::size_t n = std::min(b.size(), heal.size());
        if (b.empty() || b.compare(0, n, heal, 0, n) != 0) out[std::size_t(id)] = -std::numeric_limits<float>::infinity();
    }
    return out;
}

}  // namespace

StopReason runGeneration(const GptModel& model, TextGenerator& gen, const GenerationRequest& request,
                         const std::function<void(const GeneratedToken&)>& onToken,
                         const std::function<bool()>& shouldStop, std::string* trailing) {
    text::Sampler sampler(request.sampling, request.seed);
    // Sample among the tokenizer's ids only: rows past it (padding some
    // checkpoints carry) cannot be written out.
    const auto tokVocab = model.tokenizer->vocabSize();
    // With healing the first token repeats the prompt's last bytes: they
    // count as generated (for stop sequences) but were already shown.
    std::string generated;  // bytes so far
    std::size_t released = request.healPrefix.size();
    std::string healing = request.healPrefix;  // bytes the next tokens must still reproduce
    StopReason reason = StopReason::MaxTokens;
    for (std::int64_t n = 0; n < request.maxNewTokens; ++n) {
        if (shouldStop && shouldStop()) break;
        const text::TokenId id =
            healing.empty()
                ? sampler.sample(gen.logits().data(), tokVocab, gen.context())
                : sampler.sample(healedLogits(model, gen.logits().data(), tokVocab, healing).data(), tokVocab,
                                 gen.context());
        if (!healing.empty()) healing.erase(0, std::min(healing.size(), model.tokenizer->tokenBytes(id).size()));
        GeneratedToken t;
        t.choice = text::describeChoice(gen.logits().data(), tokVocab, id, request.alternatives);
        const bool eos = model.tokenizer->eosId() && id == *model.tokenizer->eosId();
        if (eos && request.stopAtEndOfText) {
            onToken(t);
            reason = StopReason::EndOfText;
            break;
        }
        if (!model.tokenizer->isSpecial(id)) generated += model.tokenizer->tokenBytes(id);
        // A stop sequence ends the text before it.
        std::size_t stopAt = std::string::npos;
        for (const auto& s : request.stops) {
            const std::size_t from = released > s.size() ? released - s.size() : 0;
            const std::size_t at = generated.find(s, from);
            if (at != std::string::npos) stopAt = std::min(stopAt, at);
        }
        if (stopAt != std::string::npos) {
            if (stopAt > released) t.text = generated.substr(released, stopAt - released);
            released = stopAt;
            onToken(t);
            reason = StopReason::StopSequence;
            generated.resize(stopAt);
            break;
        }
        // Hold back a tail that may still become a stop sequence, and any
        // unfinished UTF-8 character.
        std::size_t safe = generated.size();
        for (const auto& s : request.stops)
            for (std::size_t k = std::min(s.size() - 1, generated.size()); k > 0; --k)
                if (generated.compare(generated.size() - k, k, s, 0, k) == 0) {
                    safe = std::min(safe, generated.size() - k);
                    break;
                }
        safe = text::completeUtf8Prefix(std::string_view(generated).substr(0, safe));
        if (safe > released) {
            t.text = generated.substr(released, safe - released);
            released = safe;
        }
        onToken(t);
        if (n + 1 == request.maxNewTokens) break;
        if (std::int64_t(gen.context().size()) >= gen.capacity()) {
            reason = StopReason::ContextFull;
            break;
        }
        gen.step(id);
    }
    if (trailing) *trailing = generated.substr(std::min(released, generated.size()));
    return reason;
}

std::string sampleContinuation(const std::shared_ptr<const GptModel>& modelPtr, const std::string& prompt,
                               const text::SamplingParams& sampling, std::uint64_t seed, std::int64_t maxNewTokens) {
    const GptModel& model = *modelPtr;
    const auto ids = promptTokens(model, prompt);
    TextGenerator gen(modelPtr, std::int64_t(ids.size()) + maxNewTokens);
    gen.prefill(ids);
    std::string out;
    GenerationRequest r;
    r.sampling = sampling;
    r.seed = seed;
    r.maxNewTokens = maxNewTokens;
    std::string tail;
    runGeneration(model, gen, r, [&](const GeneratedToken& t) { out += t.text; }, {}, &tail);
    return out + tail;
}

}  // namespace latent::gpt
