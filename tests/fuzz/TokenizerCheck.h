#pragma once
// What every tokenizer the fuzzers load must do without failing: encode a few
// texts (special tokens, non-ASCII, invalid UTF-8) into ids inside the
// vocabulary, decode them, and show every token. A byte-level BPE without
// prefix space or added tokens must give the text back exactly.
#include <algorithm>
#include <string_view>

#include "FuzzSupport.h"
#include "latent/text/BpeTokenizer.h"
#include "latent/text/Tokenizer.h"

namespace latent::fuzz {

inline void exerciseTokenizer(const text::Tokenizer& t) {
    using text::TokenId;
    const std::int32_t n = t.vocabSize();
    FUZZ_CHECK(n > 0);
    bool lossless = false;
    if (const auto* bpe = dynamic_cast<const text::BpeTokenizer*>(&t))
        lossless = bpe->spec().mode == text::BpeSpec::Mode::ByteLevel && !bpe->spec().addPrefixSpace &&
                   bpe->spec().added.empty();
    static const std::string_view samples[] = {
        "Hello, world! It's 2024: 12345 apples.\n\tTabs  and  spaces",
        "na\xC3\xAFve caf\xC3\xA9 \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x99\x82",
        "<|endoftext|>x<s></s><unk>\xE2\x96\x81 <0x41>",
        "\xFF\xFE broken \xC3 utf-8 \xE2\x82",
        " ",
        "",
    };
    for (const std::string_view text : samples) {
        const std::vector<TokenId> ids = t.encode(text);
        for (const TokenId id : ids) FUZZ_CHECK(id >= 0 && id < n);
        const std::string back = t.decode(ids);
        if (lossless) FUZZ_CHECK(back == text);
        sink(back.size() + text::completeUtf8Prefix(back));
    }
    // Every token shows (the first and last few of large vocabularies).
    for (TokenId id = 0; id < n; ++id) {
        if (id == 512 && n > 1024) id = n - 512;
        sink(t.tokenBytes(id).size() + t.displayText(id).size() + (t.isSpecial(id) ? 1 : 0));
    }
    if (const auto bos = t.bosId()) FUZZ_CHECK(*bos >= 0 && *bos < n);
    if (const auto eos = t.eosId()) FUZZ_CHECK(*eos >= 0 && *eos < n);
}

}  // namespace latent::fuzz
