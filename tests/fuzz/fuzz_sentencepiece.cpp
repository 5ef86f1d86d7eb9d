// tokenizer.model (SentencePiece): latent::text::loadTokenizerFolder on a
// folder holding only the input as tokenizer.model, which reaches
// SentencePieceTokenizer (engine/src/text/SentencePieceTokenizer.cpp) and,
// through the dlopen'ed shim liblatent_sentencepiece.so
// (engine/src/text/sentencepiece/SentencePieceShim.cpp), libsentencepiece's
// model parser. Then encodes and decodes a few texts.
//
// Under AddressSanitizer: the engine opens the shim with RTLD_DEEPBIND, which
// ASan's dlopen interceptor refuses ("You are trying to dlopen a ... shared
// library with RTLD_DEEPBIND flag which is incompatible with sanitizer
// runtime"; the process dies at the first model). This harness therefore
// overrides dlopen (the interceptor is a weak alias) and forwards to ASan's
// interceptor without RTLD_DEEPBIND. DEEPBIND only matters when LibTorch's
// libprotobuf is in the process (it keeps libsentencepiece's bundled protobuf
// apart from it); a fuzz harness never loads LibTorch, so RTLD_LOCAL alone
// binds the same symbols. Replay builds (no ASan) use the engine's flags as is;
// -DLATENT_FUZZ_KEEP_DEEPBIND builds the harness without the override.
#include <dlfcn.h>

#include "FuzzSupport.h"
#include "TokenizerCheck.h"
#include "latent/text/TokenizerFolder.h"

#if defined(__has_feature) && !defined(LATENT_FUZZ_KEEP_DEEPBIND)
#if __has_feature(address_sanitizer)
extern "C" void* __interceptor_dlopen(const char* file, int flags);
extern "C" void* dlopen(const char* file, int flags) {
    return __interceptor_dlopen(file, flags & ~RTLD_DEEPBIND);
}
#endif
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const auto dir = fuzz::freshDir("sentencepiece");
    fuzz::writeFile(dir / "tokenizer.model", fuzz::asView(data, size));
    fuzz::rejectOnlyWithError([&] {
        const text::TokenizerFolder folder = text::loadTokenizerFolder(dir);
        FUZZ_CHECK(folder.tokenizer != nullptr && folder.tokenizer->kind() == "SentencePiece");
        fuzz::exerciseTokenizer(*folder.tokenizer);
    });
    return 0;
}
