#include "latent/text/BpeTokenizer.h"

#include <algorithm>
#include <cstdio>
#include <queue>

#include "RegexSplitter.h"
#include "latent/Error.h"

namespace latent::text {

const char* const kGpt2SplitPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

constexpr std::string_view kMetaspace = "\xE2\x96\x81";  // U+2581 "▁"

std::string utf8(std::uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += char(cp);
    } else if (cp < 0x800) {
        s += char(0xC0 | (cp >> 6));
        s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += char(0xE0 | (cp >> 12));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    } else {
        s += char(0xF0 | (cp >> 18));
        s += char(0x80 | ((cp >> 12) & 0x3F));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    }
    return s;
}

// GPT-2's bytes_to_unicode(): printable bytes stand for themselves, the
// others for code points from 256 on, so every token is printable text.
std::vector<std::uint32_t> byteToCodePoint() {
    std::vector<std::uint32_t> map(256, 0);
    std::uint32_t next = 256;
    for (std::uint32_t b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        map[b] = printable ? b : next++;
    }
    return map;
}

std::size_t utf8Length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;  // a stray continuation or invalid byte stands alone
}

std::uint64_t pairKey(TokenId a, TokenId b) { return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b); }

bool parseByteToken(const std::string& token, unsigned char& byte) {
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>') return false;
    try {
        std::size_t used = 0;
        const int v = std::stoi(token.substr(3, 2), &used, 16);
        if (used != 2) return false;
        byte = static_cast<unsigned char>(v);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

BpeTokenizer::BpeTokenizer(BpeSpec spec, std::string source) : m_spec(std::move(spec)), m_source(std::move(source)) {
    const std::string where = m_source.empty() ? "the tokenizer" : m_source;
    const auto n = static_cast<TokenId>(m_spec.vocab.size());
    if (n == 0) throw Error(ErrorKind::Format, where + " has an empty vocabulary");
    m_vocab.reserve(m_spec.vocab.size());
    for (TokenId id = 0; id < n; ++id) m_vocab.emplace(m_spec.vocab[std::size_t(id)], id);

    m_tokenBytes.resize(std::size_t(n));
    m_special.assign(std::size_t(n), false);
    const auto cps = byteToCodePoint();
    std::unordered_map<std::string, unsigned char> symbolToByte;
    for (int b = 0; b < 256; ++b) {
        m_byteSymbols[b] = utf8(cps[std::size_t(b)]);
        symbolToByte.emplace(m_byteSymbols[b], static_cast<unsigned char>(b));
    }
    for (TokenId id = 0; id < n; ++id) {
        const std::string& tok = m_spec.vocab[std::size_t(id)];
        std::string bytes;
        if (m_spec.mode == BpeSpec::Mode::ByteLevel) {
            for (std::size_t i = 0; i < tok.size();) {
                const std::size_t len = std::min(utf8Length(static_cast<unsigned char>(tok[i])), tok.size() - i);
                const auto it = symbolToByte.find(tok.substr(i, len));
                if (it != symbolToByte.end()) bytes += char(it->second);
                else bytes.append(tok, i, len);  // not a byte symbol (added tokens): keep as written
                i += len;
            }
        } else {
            unsigned char byte = 0;
            if (m_spec.byteFallback && parseByteToken(tok, byte)) {
                bytes = std::string(1, char(byte));
            } else {
                for (std::size_t i = 0; i < tok.size();) {
                    if (tok.compare(i, kMetaspace.size(), kMetaspace) == 0) {
                        bytes += ' ';
                        i += kMetaspace.size();
                    } else {
                        bytes += tok[i++];
                    }
                }
            }
        }
        m_tokenBytes[std::size_t(id)] = std::move(bytes);
    }
    for (const auto& a : m_spec.added) {
        if (a.id < 0 || a.id >= n)
            throw Error(ErrorKind::Format, where + ": added token '" + a.content + "' has id " + std::to_string(a.id) +
                                               ", outside the vocabulary of " + std::to_string(n));
        m_tokenBytes[std::size_t(a.id)] = a.content;
        m_special[std::size_t(a.id)] = a.special;
        m_addedByLength.emplace_back(a.content, a.id);
    }
    std::stable_sort(m_addedByLength.begin(), m_addedByLength.end(),
                     [](const auto& x, const auto& y) { return x.first.size() > y.first.size(); });
    for (const auto* id : {&m_spec.bosId, &m_spec.eosId, &m_spec.unkId})
        if (*id && (**id < 0 || **id >= n))
            throw Error(ErrorKind::Format, where + ": special token id " + std::to_string(**id) +
                                               " is outside the vocabulary of " + std::to_string(n));

    if (m_spec.mode == BpeSpec::Mode::ByteLevel)
        for (int b = 0; b < 256; ++b)
            if (!m_vocab.count(m_byteSymbols[b]))
                throw Error(ErrorKind::Format, where + " is byte-level but has no token for byte " + std::to_string(b) +
                                                   ", so some text could not be encoded");

    m_merges.reserve(m_spec.merges.size());
    for (std::size_t r = 0; r < m_spec.merges.size(); ++r) {
        const auto& [a, b] = m_spec.merges[r];
        const auto ia = m_vocab.find(a), ib = m_vocab.find(b), im = m_vocab.find(a + b);
        if (ia == m_vocab.end() || ib == m_vocab.end() || im == m_vocab.end())
            throw Error(ErrorKind::Format, where + ": merge " + std::to_string(r + 1) + " ('" + a + "' + '" + b +
                                               "') names a token that is not in the vocabulary");
        m_merges.emplace(pairKey(ia->second, ib->second), std::make_pair(std::int32_t(r), im->second));
    }

    for (const auto& p : m_spec.splitPatterns) m_splitters.push_back(std::make_unique<RegexSplitter>(p));
}

BpeTokenizer::~BpeTokenizer() = default;

std::string BpeTokenizer::kind() const {
    return m_spec.mode == BpeSpec::Mode::ByteLevel ? "byte-level BPE" : "SentencePiece-style BPE";
}

bool BpeTokenizer::isSpecial(TokenId id) const {
    return id >= 0 && std::size_t(id) < m_special.size() && m_special[std::size_t(id)];
}

std::string BpeTokenizer::tokenBytes(TokenId id) const {
    if (id < 0 || std::size_t(id) >= m_tokenBytes.size())
        throw Error(ErrorKind::BadArgument, "token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                std::to_string(m_tokenBytes.size()));
    return m_tokenBytes[std::size_t(id)];
}

std::string BpeTokenizer::decode(const std::vector<TokenId>& ids) const {
    std::string out = Tokenizer::decode(ids);
    // Metaspace encoding put a "▁" before the text; its decoder strips it.
    if (m_spec.mode == BpeSpec::Mode::Metaspace && m_spec.addPrefixSpace && !out.empty() && out[0] == ' ')
        out.erase(0, 1);
    return out;
}

std::vector<TokenId> BpeTokenizer::encode(std::string_view text) const {
    std::vector<TokenId> out;
    std::size_t segmentStart = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::pair<std::string, TokenId>* hit = nullptr;
        for (const auto& added : m_addedByLength)
            if (!added.first.empty() && text.compare(pos, added.first.size(), added.first) == 0) {
                hit = &added;
                break;
            }
        if (!hit) {
            ++pos;
            continue;
        }
        if (pos > segmentStart) encodeSegment(text.substr(segmentStart, pos - segmentStart), out);
        out.push_back(hit->second);
        pos += hit->first.size();
        segmentStart = pos;
    }
    if (segmentStart < text.size()) encodeSegment(text.substr(segmentStart), out);
    return out;
}

void BpeTokenizer::encodeSegment(std::string_view segment, std::vector<TokenId>& out) const {
    std::string prepared;
    if (m_spec.mode == BpeSpec::Mode::Metaspace) {
        if (m_spec.addPrefixSpace) prepared += kMetaspace;
        for (char c : segment) {
            if (c == ' ') prepared += kMetaspace;
            else prepared += c;
        }
    } else {
        if (m_spec.addPrefixSpace && segment.front() != ' ') prepared += ' ';
        prepared += segment;
    }
    std::vector<std::string_view> pieces{prepared};
    if (m_spec.individualDigits) {
        std::vector<std::string_view> split;
        for (auto piece : pieces) {
            std::size_t start = 0;
            for (std::size_t i = 0; i < piece.size(); ++i)
                if (piece[i] >= '0' && piece[i] <= '9') {
                    if (i > start) split.push_back(piece.substr(start, i - start));
                    split.push_back(piece.substr(i, 1));
                    start = i + 1;
                }
            if (start < piece.size()) split.push_back(piece.substr(start));
        }
        pieces.swap(split);
    }
    for (const auto& splitter : m_splitters) {
        std::vector<std::string_view> split;
        for (auto piece : pieces) splitter->split(piece, split);
        pieces.swap(split);
    }
    for (auto piece : pieces) encodeWord(piece, out);
}

void BpeTokenizer::encodeWord(std::string_view word, std::vector<TokenId>& out) const {
    if (word.empty()) return;
    std::vector<TokenId> symbols;
    if (m_spec.mode == BpeSpec::Mode::ByteLevel) {
        if (m_spec.ignoreMerges) {
            std::string whole;
            for (char c : word) whole += m_byteSymbols[static_cast<unsigned char>(c)];
            if (const auto it = m_vocab.find(whole); it != m_vocab.end()) {
                out.push_back(it->second);
                return;
            }
        }
        symbols.reserve(word.size());
        for (char c : word) symbols.push_back(m_vocab.at(m_byteSymbols[static_cast<unsigned char>(c)]));
    } else {
        for (std::size_t i = 0; i < word.size();) {
            const std::size_t len = std::min(utf8Length(static_cast<unsigned char>(word[i])), word.size() - i);
            const std::string_view ch = word.substr(i, len);
            const auto it = m_vocab.find(std::string(ch));
            symbols.push_back(it == m_vocab.end() ? -1 : it->second);
            i += len;
        }
    }
    mergeSymbols(symbols);
    if (m_spec.mode == BpeSpec::Mode::ByteLevel) {
        out.insert(out.end(), symbols.begin(), symbols.end());
        return;
    }
    // Metaspace: unknown characters (-1) are never merged; find each one's
    // bytes by walking the merged symbols' lengths, then fall back to byte
    // tokens or <unk>.
    std::size_t offset = 0;
    for (TokenId id : symbols) {
        if (id >= 0) {
            out.push_back(id);
            offset += m_spec.vocab[std::size_t(id)].size();
            continue;
        }
        const std::size_t len = std::min(utf8Length(static_cast<unsigned char>(word[offset])), word.size() - offset);
        if (m_spec.byteFallback) {
            for (std::size_t k = 0; k < len; ++k) {
                char name[8];
                std::snprintf(name, sizeof name, "<0x%02X>", static_cast<unsigned char>(word[offset + k]));
                const auto it = m_vocab.find(name);
                if (it == m_vocab.end())
                    throw Error(ErrorKind::Format, "the tokenizer has byte fallback but no token " + std::string(name));
                out.push_back(it->second);
            }
        } else if (m_spec.unkId) {
            out.push_back(*m_spec.unkId);
        } else {
            throw Error(ErrorKind::BadArgument, "the text holds '" + std::string(word.substr(offset, len)) +
                                                    "', which this tokenizer cannot represent");
        }
        offset += len;
    }
}

void BpeTokenizer::mergeSymbols(std::vector<TokenId>& symbols) const {
    const int n = static_cast<int>(symbols.size());
    if (n < 2 || m_merges.empty()) return;
    std::vector<int> prev(static_cast<std::size_t>(n)), next(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        prev[std::size_t(i)] = i - 1;
        next[std::size_t(i)] = i + 1 < n ? i + 1 : -1;
    }
    struct Candidate {
        std::int32_t rank;
        int left;
        TokenId leftId, rightId, merged;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](int left) {
        if (left < 0) return;
        const int right = next[std::size_t(left)];
        if (right < 0) return;
        const TokenId a = symbols[std::size_t(left)], b = symbols[std::size_t(right)];
        if (a < 0 || b < 0) return;
        const auto it = m_merges.find(pairKey(a, b));
        if (it != m_merges.end()) queue.push({it->second.first, left, a, b, it->second.second});
    };
    for (int i = 0; i + 1 < n; ++i) consider(i);
    // Lowest rank first, leftmost among equals: the order GPT-2's bpe() and
    // HF's BPE model merge in. Stale entries (a side already merged) are skipped.
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        const int right = next[std::size_t(c.left)];
        if (symbols[std::size_t(c.left)] != c.leftId || right < 0 || symbols[std::size_t(right)] != c.rightId) continue;
        symbols[std::size_t(c.left)] = c.merged;
        symbols[std::size_t(right)] = -2;  // removed
        next[std::size_t(c.left)] = next[std::size_t(right)];
        if (next[std::size_t(right)] >= 0) prev[std::size_t(next[std::size_t(right)])] = c.left;
        consider(prev[std::size_t(c.left)]);
        consider(c.left);
    }
    std::vector<TokenId> merged;
    merged.reserve(std::size_t(n));
    for (int i = 0; i >= 0; i = next[std::size_t(i)]) merged.push_back(symbols[std::size_t(i)]);
    symbols.swap(merged);
}

}  // namespace latent::text
