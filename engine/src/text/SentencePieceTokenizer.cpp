#include "latent/text/SentencePieceTokenizer.h"

#include <dlfcn.h>

#include <mutex>

#include "latent/Error.h"
#include "sentencepiece/SentencePieceShim.h"

namespace latent::text {

namespace {

// liblatent_sentencepiece.so's entry points, resolved once per process.
struct ShimApi {
    decltype(&latent_sp_load) load = nullptr;
    decltype(&latent_sp_destroy) destroy = nullptr;
    decltype(&latent_sp_free) free = nullptr;
    decltype(&latent_sp_piece_count) pieceCount = nullptr;
    decltype(&latent_sp_piece) piece = nullptr;
    decltype(&latent_sp_bos_id) bosId = nullptr;
    decltype(&latent_sp_eos_id) eosId = nullptr;
    decltype(&latent_sp_encode) encode = nullptr;
    decltype(&latent_sp_decode) decode = nullptr;
};

std::filesystem::path engineLibraryDir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&errorKindName), &info) && info.dli_fname)
        return std::filesystem::path(info.dli_fname).parent_path();
    return {};
}

template <typename F>
bool resolve(void* handle, const char* name, F& fn) {
    fn = reinterpret_cast<F>(dlsym(handle, name));
    return fn != nullptr;
}

// RTLD_LOCAL keeps libsentencepiece's bundled protobuf out of the global
// scope, where LibTorch's libprotobuf lives; RTLD_DEEPBIND makes the shim and
// libsentencepiece look up symbols in their own scope first, so
// libsentencepiece binds its protobuf references to its own copies even when
// libprotobuf is loaded already. Never closed.
const ShimApi& shim() {
    static std::once_flag once;
    static ShimApi api;
    static std::string failure;
    std::call_once(once, [] {
#if defined(LATENT_SANITIZE)
        // AddressSanitizer aborts the process on any RTLD_DEEPBIND dlopen, and
        // without DEEPBIND the two protobufs collide: say so instead.
        failure = "SentencePiece tokenizer.model files cannot be read in an AddressSanitizer build (the "
                  "SentencePiece module needs RTLD_DEEPBIND, which the sanitizer runtime does not support)";
        return;
#endif
        constexpr int flags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
        const auto dir = engineLibraryDir();
        std::string tried;
        void* handle = nullptr;
        if (!dir.empty()) {
            const std::string path = (dir / LATENT_SP_SHIM_FILE).string();
            handle = dlopen(path.c_str(), flags);
            if (!handle) {
                const char* e = dlerror();
                tried = e ? e : path + ": unknown loader error";
            }
        }
        if (!handle) {
            handle = dlopen(LATENT_SP_SHIM_FILE, flags);
            if (!handle) {
                const char* e = dlerror();
                failure = std::string("cannot load ") + LATENT_SP_SHIM_FILE + ", which reads SentencePiece models (" +
                          (tried.empty() ? std::string() : tried + "; ") + (e ? e : "unknown loader error") + ")";
                return;
            }
        }
        ShimApi a;
        if (!(resolve(handle, "latent_sp_load", a.load) && resolve(handle, "latent_sp_destroy", a.destroy) &&
              resolve(handle, "latent_sp_free", a.free) && resolve(handle, "latent_sp_piece_count", a.pieceCount) &&
              resolve(handle, "latent_sp_piece", a.piece) && resolve(handle, "latent_sp_bos_id", a.bosId) &&
              resolve(handle, "latent_sp_eos_id", a.eosId) && resolve(handle, "latent_sp_encode", a.encode) &&
              resolve(handle, "latent_sp_decode", a.decode))) {
            failure = std::string(LATENT_SP_SHIM_FILE) + " does not match this engine (missing entry points)";
            return;
        }
        api = a;
    });
    if (!api.load) throw Error(ErrorKind::Format, failure);
    return api;
}

// Takes ownership of a string the shim allocated.
std::string takeShimString(const ShimApi& api, char* text, const char* fallback) {
    std::string out = text ? std::string(text) : std::string(fallback);
    api.free(text);
    return out;
}

}  // namespace

struct SentencePieceTokenizer::Model {
    const ShimApi* api = nullptr;
    latent_sp_model* handle = nullptr;
    ~Model() {
        if (handle) api->destroy(handle);
    }
};

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& modelFile)
    : m_model(std::make_unique<Model>()) {
    const ShimApi& api = shim();
    m_model->api = &api;
    char* error = nullptr;
    m_model->handle = api.load(modelFile.c_str(), &error);
    if (!m_model->handle)
        throw Error(ErrorKind::Format, modelFile.string() + " is not a SentencePiece model: " +
                                           takeShimString(api, error, "unknown error"));
    const int n = api.pieceCount(m_model->handle);
    m_tokenBytes.resize(std::size_t(n));
    m_special.resize(std::size_t(n));
    for (int id = 0; id < n; ++id) {
        std::size_t size = 0;
        int flags = 0;
        const char* data = api.piece(m_model->handle, id, &size, &flags);
        const std::string piece = data ? std::string(data, size) : std::string();
        const bool special = (flags & (LATENT_SP_CONTROL | LATENT_SP_UNKNOWN)) != 0;
        m_special[std::size_t(id)] = special;
        if (special) {
            m_tokenBytes[std::size_t(id)] = piece;
            continue;
        }
        if ((flags & LATENT_SP_BYTE) && piece.size() == 6) {
            m_tokenBytes[std::size_t(id)] = std::string(1, char(std::stoi(piece.substr(3, 2), nullptr, 16)));
            continue;
        }
        std::string bytes;
        for (std::size_t i = 0; i < piece.size();) {
            if (piece.compare(i, 3, "\xE2\x96\x81") == 0) {
                bytes += ' ';
                i += 3;
            } else {
                bytes += piece[i++];
            }
        }
        m_tokenBytes[std::size_t(id)] = std::move(bytes);
    }
    const int bos = api.bosId(m_model->handle);
    const int eos = api.eosId(m_model->handle);
    if (bos >= 0) m_bos = bos;
    if (eos >= 0) m_eos = eos;
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::int32_t SentencePieceTokenizer::vocabSize() const { return std::int32_t(m_tokenBytes.size()); }

std::vector<TokenId> SentencePieceTokenizer::encode(std::string_view text) const {
    const ShimApi& api = *m_model->api;
    std::int32_t* ids = nullptr;
    std::size_t count = 0;
    char* error = nullptr;
    if (api.encode(m_model->handle, text.data(), text.size(), &ids, &count, &error) != 0)
        throw Error(ErrorKind::Runtime,
                    "SentencePiece could not encode the text: " + takeShimString(api, error, "unknown error"));
    std::vector<TokenId> out(ids, ids + count);
    api.free(ids);
    return out;
}

std::string SentencePieceTokenizer::tokenBytes(TokenId id) const {
    if (id < 0 || id >= vocabSize())
        throw Error(ErrorKind::BadArgument, "token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                std::to_string(vocabSize()));
    return m_tokenBytes[std::size_t(id)];
}

std::string SentencePieceTokenizer::decode(const std::vector<TokenId>& ids) const {
    const ShimApi& api = *m_model->api;
    char* text = nullptr;
    std::size_t size = 0;
    char* error = nullptr;
    if (api.decode(m_model->handle, ids.data(), ids.size(), &text, &size, &error) != 0)
        throw Error(ErrorKind::Runtime, "SentencePiece could not decode: " + takeShimString(api, error, "unknown error"));
    std::string out(text, size);
    api.free(text);
    return out;
}

std::optional<TokenId> SentencePieceTokenizer::bosId() const { return m_bos; }

std::optional<TokenId> SentencePieceTokenizer::eosId() const { return m_eos; }

bool SentencePieceTokenizer::isSpecial(TokenId id) const {
    return id >= 0 && id < vocabSize() && m_special[std::size_t(id)];
}

}  // namespace latent::text
