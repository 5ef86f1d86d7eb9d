#include "GptLoadedModel.h"

#include <chrono>
#include <cmath>

#include "Generation.h"
#include "TextGenerator.h"
#include "TextTasks.h"
#include "latent/Error.h"
#include "latent/TextFormat.h"

namespace latent::gpt {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

TokenAlternatives alternativesOf(const text::TokenChoice& c, const text::Tokenizer& tok) {
    TokenAlternatives a;
    for (const auto& [id, lp] : c.alternatives) {
        a.ids.push_back(id);
        a.logprobs.push_back(lp);
        a.texts.push_back(tok.displayText(id));
    }
    return a;
}

// Streams one token the job did not sample (a continued or scored one) with
// the model's view of it. `pending` carries a partial UTF-8 character over
// to the next token; returns the token's byte count.
std::size_t emitKnownToken(JobContext& ctx, const text::Tokenizer& tok, const text::TokenChoice& c,
                           std::string& pending) {
    const std::string bytes = tok.isSpecial(c.id) ? std::string() : tok.tokenBytes(c.id);
    pending += bytes;
    const std::size_t ok = text::completeUtf8Prefix(pending);
    TextDelta d;
    d.text = pending.substr(0, ok);
    pending.erase(0, ok);
    d.tokenIds = {c.id};
    d.logprobs = {c.logprob};
    d.alternatives = {alternativesOf(c, tok)};
    ctx.emit(std::move(d));
    return bytes.size();
}

}  // namespace

void GptLoadedModel::run(JobContext& ctx) {
    for (const auto& n : m_model->notices) ctx.log(LogLevel::Warning, n);
    if (ctx.task() == "text.generate" || ctx.task() == "text.complete") return generate(ctx);
    if (ctx.task() == "text.score") return score(ctx);
    throw Error(ErrorKind::BadArgument, "the text model cannot run task '" + ctx.task() + "'");
}

void GptLoadedModel::generate(JobContext& ctx) {
    const GptModel& m = *m_model;
    const TextJobSettings s = readTextJobSettings(ctx);
    std::vector<std::int32_t> prompt = promptTokens(m, ctx.inputs().prompt);
    const std::vector<std::int32_t>& continuation = ctx.inputs().continuationTokens;
    for (auto id : continuation)
        if (id < 0 || id >= m.tokenizer->vocabSize())
            throw Error(ErrorKind::BadArgument, "token id " + std::to_string(id) + " is outside the vocabulary");
    const std::int64_t context = m.config.maxPositions;
    if (std::int64_t(continuation.size()) >= context)
        throw Error(ErrorKind::BadArgument, "the text to continue is " + std::to_string(continuation.size()) +
                                                " tokens; this model's context holds " + std::to_string(context));
    // Keep room for at least a few new tokens: a prompt that fills the
    // context loses its beginning, with a notice.
    const std::int64_t room = std::min<std::int64_t>(s.maxNewTokens, std::max<std::int64_t>(1, context / 4));
    const auto used = std::int64_t(prompt.size() + continuation.size());
    if (used + room > context) {
        const std::int64_t dropped = std::min<std::int64_t>(used + room - context, std::int64_t(prompt.size()) - 1);
        if (dropped > 0) {
            ctx.log(LogLevel::Warning, "the prompt is " + std::to_string(prompt.size()) +
                                           " tokens and this model's context holds " + std::to_string(context) +
                                           ": it sees only the last " + std::to_string(prompt.size() - dropped) +
                                           " (" + std::to_string(dropped) + " dropped)");
            prompt.erase(prompt.begin(), prompt.begin() + dropped);
        }
    }
    // A completion continues the code exactly where the cursor is, often
    // mid-word or in indentation: let its first token re-choose the last one.
    const std::string heal =
        ctx.task() == "text.complete" && continuation.empty() ? healLastToken(m, prompt) : std::string();
    const auto started = Clock::now();
    TextGenerator gen(m_model, std::min<std::int64_t>(context, std::int64_t(prompt.size() + continuation.size()) +
                                                                   s.maxNewTokens));
    ctx.progress(0, s.maxNewTokens, "reading the prompt (" + std::to_string(prompt.size()) + " tokens)");
    gen.prefill(prompt);
    if (!continuation.empty()) {
        // Re-show the continued tokens with what the model thinks of them.
        std::vector<float> before = gen.logits();
        std::vector<float> rows;
        gen.prefillScored(continuation, rows);
        const auto V = std::size_t(m.config.vocabSize);
        std::string pending;
        for (std::size_t i = 0; i < continuation.size(); ++i) {
            const float* row = i == 0 ? before.data() : rows.data() + (i - 1) * V;
            emitKnownToken(ctx, *m.tokenizer,
                           text::describeChoice(row, m.tokenizer->vocabSize(), continuation[i], 5), pending);
        }
        if (!pending.empty()) ctx.emit(TextDelta{pending, {}, {}, {}});
    }
    const double prefillMs = msSince(started);
    ctx.emit(Metric{"prompt_tokens", double(prompt.size() + continuation.size()), 0});
    ctx.emit(Metric{"prefill_tokens_per_s",
                    double(prompt.size() + continuation.size()) / std::max(prefillMs, 1e-3) * 1000.0, 0});

    GenerationRequest r;
    r.sampling = s.sampling;
    r.seed = ctx.seed();
    r.maxNewTokens = s.maxNewTokens;
    r.stops = s.stops;
    r.healPrefix = heal;
    std::int64_t produced = 0;
    Clock::time_point firstToken;
    std::string tail;
    const StopReason reason = runGeneration(
        m, gen, r,
        [&](const GeneratedToken& t) {
            if (produced == 0) {
                firstToken = Clock::now();
                ctx.emit(Metric{"time_to_first_token_ms", msSince(started), 1});
            }
            ++produced;
            TextDelta d;
            d.text = t.text;
            d.tokenIds = {t.choice.id};
            d.logprobs = {t.choice.logprob};
            d.alternatives = {alternativesOf(t.choice, *m.tokenizer)};
            ctx.emit(std::move(d));
            if (produced % 8 == 0 && produced > 1)
                ctx.emit(Metric{"tokens_per_s",
                                double(produced - 1) / std::max(1e-6, std::chrono::duration<double>(Clock::now() -
                                                                                                     firstToken).count()),
                                produced});
            ctx.progress(produced, s.maxNewTokens);
        },
        // A newer completion on the same lane makes this one moot: end early.
        [&] { return ctx.stopRequested() || ctx.stale(); }, &tail);
    if (!tail.empty() && reason != StopReason::StopSequence) {
        TextDelta d;
        d.text = tail;
        ctx.emit(std::move(d));
    }
    std::string rates;
    if (produced > 1) {
        const double rate = double(produced - 1) /
                            std::max(1e-6, std::chrono::duration<double>(Clock::now() - firstToken).count());
        ctx.emit(Metric{"tokens_per_s", rate, produced});
        rates = " (" + formatFixed(rate, 1) + " tokens/s; first token after " +
                formatFixed(std::chrono::duration<double, std::milli>(firstToken - started).count(), 0) + " ms)";
    }
    ctx.throwIfStopped();  // Stop pressed: the job ends Cancelled, the text so far stays
    ctx.emit(LogLine{LogLevel::Info, std::string("finished: ") + stopReasonText(reason) + " after " +
                                         std::to_string(produced) + " tokens" + rates});
    if (reason == StopReason::ContextFull)
        ctx.log(LogLevel::Warning, "stopped: the context (" + std::to_string(context) + " tokens) is full");
}

void GptLoadedModel::score(JobContext& ctx) {
    const GptModel& m = *m_model;
    const std::string& textIn = ctx.inputs().prompt;
    if (textIn.empty()) throw Error(ErrorKind::BadArgument, "there is no text to score");
    std::vector<std::int32_t> ids;
    bool firstScored = false;  // with a BOS every text token has context
    if (m.tokenizer->bosId() && (m.addBos || m.tokenizer->eosId() == m.tokenizer->bosId())) {
        ids.push_back(*m.tokenizer->bosId());
        firstScored = true;
    }
    const auto body = m.tokenizer->encode(textIn);
    ids.insert(ids.end(), body.begin(), body.end());
    const auto n = std::int64_t(ids.size());
    const std::int64_t C = m.config.maxPositions;
    const std::int64_t V = m.config.vocabSize;
    double nats = 0;
    std::int64_t scored = 0;
    std::uint64_t bytes = 0;
    std::string pending;
    if (!firstScored && !body.empty()) {
        // The first token has nothing before it: shown, not scored.
        TextDelta d;
        pending = m.tokenizer->tokenBytes(ids[0]);
        const std::size_t ok = text::completeUtf8Prefix(pending);
        d.text = pending.substr(0, ok);
        pending.erase(0, ok);
        d.tokenIds = {ids[0]};
        ctx.emit(std::move(d));
    }
    // Windows of the context size; each after the first re-reads half a
    // window so every scored token has at least C/2 tokens before it.
    std::int64_t next = 1;  // next position to score
    while (next < n) {
        ctx.throwIfStopped();
        const std::int64_t start = next < C ? 0 : next - C / 2;
        const std::int64_t end = std::min(n, start + C);
        TextGenerator gen(m_model, end - start);
        std::vector<float> logits;
        gen.prefillScored(std::vector<std::int32_t>(ids.begin() + start, ids.begin() + end), logits);
        for (std::int64_t pos = next; pos < end; ++pos) {
            const float* row = logits.data() + (pos - 1 - start) * V;
            const text::TokenChoice c = text::describeChoice(row, m.tokenizer->vocabSize(), ids[std::size_t(pos)], 5);
            nats -= c.logprob;
            ++scored;
            bytes += emitKnownToken(ctx, *m.tokenizer, c, pending);
        }
        ctx.progress(end, n, "scoring");
        next = end;
    }
    if (!pending.empty()) ctx.emit(TextDelta{pending, {}, {}, {}});
    if (scored == 0) throw Error(ErrorKind::BadArgument, "the text is a single token: nothing to score");
    ctx.emit(Metric{"tokens", double(scored), scored});
    ctx.emit(Metric{"perplexity", std::exp(nats / double(scored)), scored});
    if (bytes > 0) ctx.emit(Metric{"bits_per_byte", nats / std::log(2.0) / double(bytes), scored});
}

}  // namespace latent::gpt
