#include "latent/text/BpeTrainer.h"

#include <algorithm>
#include <queue>

#include "RegexSplitter.h"
#include "latent/Error.h"

namespace latent::text {
namespace {

std::uint64_t key(std::int32_t a, std::int32_t b) { return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b); }
std::int32_t first(std::uint64_t k) { return std::int32_t(k >> 32); }
std::int32_t second(std::uint64_t k) { return std::int32_t(k & 0xFFFFFFFFu); }

// The 256 byte symbols of GPT-2's byte-level alphabet, in byte order.
std::vector<std::string> byteAlphabet() {
    // bytes_to_unicode(): printable bytes stand for themselves, the others
    // for code points from 256 on (all below 0x800, so two UTF-8 bytes).
    std::vector<std::string> out(256);
    std::uint32_t next = 256;
    for (std::uint32_t b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        const std::uint32_t cp = printable ? b : next++;
        std::string s;
        if (cp < 0x80) {
            s += char(cp);
        } else {
            s += char(0xC0 | (cp >> 6));
            s += char(0x80 | (cp & 0x3F));
        }
        out[b] = s;
    }
    return out;
}

}  // namespace

BpeTrainer::BpeTrainer(BpeTrainerOptions options) : m_options(std::move(options)) {
    if (m_options.vocabSize < 256 + std::int32_t(m_options.specialTokens.size()))
        throw Error(ErrorKind::BadArgument, "a byte-level vocabulary needs at least " +
                                                std::to_string(256 + m_options.specialTokens.size()) + " tokens");
}

BpeTrainer::~BpeTrainer() = default;

void BpeTrainer::addText(std::string_view text) {
    static const RegexSplitter splitter(kGpt2SplitPattern);
    std::vector<std::string_view> pieces;
    splitter.split(text, pieces);
    for (auto p : pieces) ++m_wordCounts[std::string(p)];
}

BpeSpec BpeTrainer::train(const std::function<bool(std::int64_t, std::int64_t)>& progress) {
    const auto alphabet = byteAlphabet();
    BpeSpec spec;
    spec.mode = BpeSpec::Mode::ByteLevel;
    spec.splitPatterns = {kGpt2SplitPattern};
    spec.vocab = alphabet;

    struct Word {
        std::vector<std::int32_t> symbols;
        std::int64_t count;
    };
    std::vector<Word> words;
    words.reserve(m_wordCounts.size());
    // Sorted so the result does not depend on hash-map order.
    std::vector<std::pair<std::string, std::int64_t>> sorted(m_wordCounts.begin(), m_wordCounts.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [w, c] : sorted) {
        Word word{{}, c};
        for (char ch : w) word.symbols.push_back(static_cast<unsigned char>(ch));
        words.push_back(std::move(word));
    }

    std::unordered_map<std::uint64_t, std::int64_t> counts;
    std::unordered_map<std::uint64_t, std::vector<std::int32_t>> where;
    for (std::size_t w = 0; w < words.size(); ++w) {
        const auto& s = words[w].symbols;
        for (std::size_t i = 0; i + 1 < s.size(); ++i) {
            const auto k = key(s[i], s[i + 1]);
            counts[k] += words[w].count;
            auto& list = where[k];
            if (list.empty() || list.back() != std::int32_t(w)) list.push_back(std::int32_t(w));
        }
    }
    // Max-heap on (count, then the smaller pair key): lazy, entries whose
    // count is out of date are skipped when they surface.
    using Entry = std::pair<std::int64_t, std::uint64_t>;
    auto lower = [](const Entry& x, const Entry& y) { return x.first != y.first ? x.first < y.first : x.second > y.second; };
    std::priority_queue<Entry, std::vector<Entry>, decltype(lower)> heap(lower);
    for (const auto& [k, c] : counts) heap.push({c, k});

    const std::int64_t targetMerges =
        std::int64_t(m_options.vocabSize) - 256 - std::int64_t(m_options.specialTokens.size());
    std::unordered_map<std::string, std::int32_t> ids;
    for (std::size_t i = 0; i < spec.vocab.size(); ++i) ids.emplace(spec.vocab[i], std::int32_t(i));
    std::vector<std::int64_t> lastTouched(words.size(), -1);
    std::unordered_map<std::uint64_t, std::int64_t> changed;
    while (std::int64_t(spec.vocab.size()) - 256 < targetMerges && !heap.empty()) {
        const auto [count, k] = heap.top();
        heap.pop();
        const auto it = counts.find(k);
        if (it == counts.end() || it->second != count) continue;  // stale
        if (count < m_options.minFrequency) break;
        const std::int32_t a = first(k), b = second(k);
        // Two merges can spell the same token ("ab"+"c", "a"+"bc"): they share its id.
        const std::string token = spec.vocab[std::size_t(a)] + spec.vocab[std::size_t(b)];
        const auto [slot, isNew] = ids.emplace(token, std::int32_t(spec.vocab.size()));
        const std::int32_t merged = slot->second;
        if (isNew) spec.vocab.push_back(token);
        spec.merges.emplace_back(spec.vocab[std::size_t(a)], spec.vocab[std::size_t(b)]);
        const auto mergeNumber = std::int64_t(spec.merges.size());
        changed.clear();
        const auto list = where[k];  // copy: the loop adds to `where`
        for (const std::int32_t w : list) {
            if (lastTouched[std::size_t(w)] == mergeNumber) continue;
            lastTouched[std::size_t(w)] = mergeNumber;
            auto& word = words[std::size_t(w)];
            auto& s = word.symbols;
            bool has = false;
            for (std::size_t i = 0; i + 1 < s.size() && !has; ++i) has = s[i] == a && s[i + 1] == b;
            if (!has) continue;
            for (std::size_t i = 0; i + 1 < s.size(); ++i) changed[key(s[i], s[i + 1])] -= word.count;
            std::vector<std::int32_t> next;
            next.reserve(s.size());
            for (std::size_t i = 0; i < s.size();) {
                if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
                    next.push_back(merged);
                    i += 2;
                } else {
                    next.push_back(s[i++]);
                }
            }
            s.swap(next);
            for (std::size_t i = 0; i + 1 < s.size(); ++i) {
                const auto nk = key(s[i], s[i + 1]);
                changed[nk] += word.count;
                if (s[i] == merged || s[i + 1] == merged) {
                    auto& l = where[nk];
                    if (l.empty() || l.back() != w) l.push_back(w);
                }
            }
        }
        for (const auto& [ck, delta] : changed) {
            if (delta == 0) continue;
            auto& c = counts[ck];
            c += delta;
            if (c > 0) heap.push({c, ck});
        }
        counts.erase(k);
        where.erase(k);
        if (progress && mergeNumber % 64 == 0 && !progress(std::int64_t(spec.vocab.size()) - 256, targetMerges))
            throw Error(ErrorKind::Cancelled, "tokenizer training was stopped");
    }
    for (const auto& special : m_options.specialTokens) {
        spec.added.push_back({special, std::int32_t(spec.vocab.size()), true});
        spec.vocab.push_back(special);
    }
    if (!spec.added.empty()) spec.bosId = spec.eosId = spec.added.front().id;
    return spec;
}

}  // namespace latent::text
