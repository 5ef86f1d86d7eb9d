// GPT-2's vocab.json + merges.txt: latent::text::loadTokenizerFolder
// (engine/src/text/TokenizerFolder.cpp -> BpeTokenizer::readGpt2Files in
// BpeTokenizerFiles.cpp, then the BpeTokenizer constructor), on a folder with
//   input: vocab.json \0 merges.txt [\0 tokenizer_config.json]
// then encodes and decodes a few texts with what it loaded.
#include "FuzzSupport.h"
#include "TokenizerCheck.h"
#include "latent/text/TokenizerFolder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const auto parts = fuzz::splitAtNul(fuzz::asView(data, size), 3);
    const auto dir = fuzz::freshDir("gpt2-bpe");
    fuzz::writeFile(dir / "vocab.json", parts[0]);
    fuzz::writeFile(dir / "merges.txt", parts.size() > 1 ? parts[1] : std::string_view());
    if (parts.size() > 2) fuzz::writeFile(dir / "tokenizer_config.json", parts[2]);
    fuzz::rejectOnlyWithError([&] {
        const text::TokenizerFolder folder = text::loadTokenizerFolder(dir);
        FUZZ_CHECK(folder.tokenizer != nullptr);
        FUZZ_CHECK(folder.files.size() >= 2 && folder.files[0] == "vocab.json" && folder.files[1] == "merges.txt");
        fuzz::exerciseTokenizer(*folder.tokenizer);
    });
    return 0;
}
