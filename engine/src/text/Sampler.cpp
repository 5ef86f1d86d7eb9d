#include "latent/text/Sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "latent/Error.h"

namespace latent::text {
namespace {

// Most likely first; equal values by lower id so results never depend on
// the sort algorithm.
struct ByValueDesc {
    const float* v;
    bool operator()(std::int32_t a, std::int32_t b) const { return v[a] != v[b] ? v[a] > v[b] : a < b; }
};

TokenId argmax(const float* v, std::int32_t n) {
    TokenId best = 0;
    for (std::int32_t i = 1; i < n; ++i)
        if (v[i] > v[best]) best = i;
    return best;
}

}  // namespace

Sampler::Sampler(SamplingParams params, std::uint64_t seed) : m_params(params), m_rng(seed) {
    if (!(m_params.temperature >= 0) || !(m_params.topP > 0 && m_params.topP <= 1) || m_params.topK < 0 ||
        !(m_params.repetitionPenalty > 0))
        throw Error(ErrorKind::BadArgument, "sampling settings out of range (temperature ≥ 0, 0 < top-p ≤ 1, "
                                            "top-k ≥ 0, repetition penalty > 0)");
}

double Sampler::uniform() { return double(m_rng() >> 11) * 0x1.0p-53; }

TokenId Sampler::sample(const float* logits, std::int32_t vocab, const std::vector<TokenId>& context) {
    if (vocab <= 0) throw Error(ErrorKind::Runtime, "the model gave no token scores to sample from");
    m_work.assign(logits, logits + vocab);
    float* v = m_work.data();
    if (m_params.repetitionPenalty != 1.0) {
        const auto p = float(m_params.repetitionPenalty);
        // Once per distinct token; the marks are cleared again below, so the
        // buffer is allocated once per sampler, not per token.
        m_seen.resize(std::size_t(vocab), 0);
        for (TokenId id : context) {
            if (id < 0 || id >= vocab || m_seen[std::size_t(id)]) continue;
            m_seen[std::size_t(id)] = 1;
            v[id] = v[id] > 0 ? v[id] / p : v[id] * p;
        }
        for (TokenId id : context)
            if (id >= 0 && id < vocab) m_seen[std::size_t(id)] = 0;
    }
    for (std::int32_t i = 0; i < vocab; ++i)
        if (std::isnan(v[i])) v[i] = -std::numeric_limits<float>::infinity();
    if (m_params.temperature == 0) return argmax(v, vocab);

    // Candidates: the top-k (or everything), most likely first.
    m_order.resize(std::size_t(vocab));
    for (std::int32_t i = 0; i < vocab; ++i) m_order[std::size_t(i)] = i;
    const std::int32_t k = m_params.topK > 0 ? std::min(m_params.topK, vocab) : vocab;
    // Nucleus sampling rarely needs more than a few hundred candidates: sort
    // those first and the full vocabulary only when their mass falls short.
    std::int32_t sorted = std::min(k, std::int32_t(512));
    std::partial_sort(m_order.begin(), m_order.begin() + sorted, m_order.end(), ByValueDesc{v});

    const double invT = 1.0 / m_params.temperature;
    const double top = v[m_order[0]];
    double total = 0;  // over all k candidates, for the top-p cut
    for (std::int32_t i = 0; i < k; ++i) total += std::exp((double(v[m_order[std::size_t(i)]]) - top) * invT);
    std::int32_t keep = k;
    if (m_params.topP < 1.0) {
        double cum = 0;
        for (std::int32_t i = 0; i < k; ++i) {
            if (i == sorted) {  // the nucleus reaches past the sorted head: sort the rest of the candidates
                std::sort(m_order.begin() + sorted, m_order.begin() + k, ByValueDesc{v});
                sorted = k;
            }
            cum += std::exp((double(v[m_order[std::size_t(i)]]) - top) * invT);
            if (cum >= m_params.topP * total) {
                keep = i + 1;
                break;
            }
        }
    }
    double mass = 0;
    for (std::int32_t i = 0; i < keep; ++i) mass += std::exp((double(v[m_order[std::size_t(i)]]) - top) * invT);
    if (!(mass > 0) || !std::isfinite(mass)) return m_order[0];
    const double r = uniform() * mass;
    double cum = 0;
    for (std::int32_t i = 0; i < keep; ++i) {
        cum += std::exp((double(v[m_order[std::size_t(i)]]) - top) * invT);
        if (r < cum) return m_order[std::size_t(i)];
    }
    return m_order[std::size_t(keep - 1)];
}

TokenChoice describeChoice(const float* logits, std::int32_t vocab, TokenId chosen, int topN) {
    if (chosen < 0 || chosen >= vocab) throw Error(ErrorKind::Runtime, "token " + std::to_string(chosen) + " is outside the vocabulary");
    double maxv = -std::numeric_limits<double>::infinity();
    for (std::int32_t i = 0; i < vocab; ++i) maxv = std::max(maxv, double(logits[i]));
    double sum = 0;
    for (std::int32_t i = 0; i < vocab; ++i) sum += std::exp(double(logits[i]) - maxv);
    const double logZ = maxv + std::log(sum);
    TokenChoice c;
    c.id = chosen;
    c.logprob = float(double(logits[chosen]) - logZ);
    const int n = std::min<int>(topN, vocab);
    std::vector<std::int32_t> order(static_cast<std::size_t>(vocab));
    for (std::int32_t i = 0; i < vocab; ++i) order[std::size_t(i)] = i;
    std::partial_sort(order.begin(), order.begin() + n, order.end(), ByValueDesc{logits});
    for (int i = 0; i < n; ++i)
        c.alternatives.emplace_back(order[std::size_t(i)], float(double(logits[order[std::size_t(i)]]) - logZ));
    return c;
}

}  // namespace latent::text
