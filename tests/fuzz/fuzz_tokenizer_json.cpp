// tokenizer.json (Hugging Face): latent::text::loadTokenizerFolder
// (engine/src/text/TokenizerFolder.cpp -> BpeTokenizer::readTokenizerJson in
// BpeTokenizerFiles.cpp, then the BpeTokenizer constructor), on a folder with
//   input: tokenizer.json [\0 tokenizer_config.json]
// then encodes and decodes a few texts with what it loaded.
#include "FuzzSupport.h"
#include "TokenizerCheck.h"
#include "latent/text/TokenizerFolder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const auto parts = fuzz::splitAtNul(fuzz::asView(data, size), 2);
    const auto dir = fuzz::freshDir("tokenizer-json");
    fuzz::writeFile(dir / "tokenizer.json", parts[0]);
    if (parts.size() > 1) fuzz::writeFile(dir / "tokenizer_config.json", parts[1]);
    fuzz::rejectOnlyWithError([&] {
        const text::TokenizerFolder folder = text::loadTokenizerFolder(dir);
        FUZZ_CHECK(folder.tokenizer != nullptr);
        FUZZ_CHECK(!folder.files.empty() && folder.files.front() == "tokenizer.json");
        if (folder.addBos) FUZZ_CHECK(folder.tokenizer->bosId().has_value());
        fuzz::exerciseTokenizer(*folder.tokenizer);
    });
    return 0;
}
