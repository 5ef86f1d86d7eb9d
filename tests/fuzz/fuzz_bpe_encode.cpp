// Text through a real tokenizer: the bundled prose-gpt's byte-level BPE
// (resources/models/prose-gpt, loaded once) encodes the input as a prompt; it
// must decode back to exactly the input (byte-level BPE is lossless, special
// tokens included). The input's bytes, read as little-endian 16-bit ids, are
// also decoded: ids outside the vocabulary must be refused with latent::Error.
// Covers BpeTokenizer::encode/decode, the GPT-2 split regex (RegexSplitter,
// PCRE2) and the merge loop (engine/src/text/BpeTokenizer.cpp).
#include "FuzzSupport.h"
#include "latent/text/TokenizerFolder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    static const text::TokenizerFolder folder =
        text::loadTokenizerFolder(std::filesystem::path(LATENT_SOURCE_DIR) / "resources/models/prose-gpt");
    const text::Tokenizer& t = *folder.tokenizer;
    const std::string_view input = fuzz::asView(data, size);
    fuzz::mustSucceed("encode and decode", [&] {
        const auto ids = t.encode(input);
        for (const auto id : ids) FUZZ_CHECK(id >= 0 && id < t.vocabSize());
        FUZZ_CHECK(t.decode(ids) == input);
    });
    std::vector<text::TokenId> ids;
    for (std::size_t i = 0; i + 1 < size; i += 2) ids.push_back(text::TokenId(data[i] | (data[i + 1] << 8)));
    fuzz::rejectOnlyWithError([&] { fuzz::sink(t.decode(ids).size()); });
    return 0;
}
