// liblatent_sentencepiece.so: libsentencepiece behind a C interface (see
// SentencePieceShim.h for why it lives in its own module). Nothing C++ leaves
// this file: every entry point catches what the library throws.
#include "SentencePieceShim.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <sentencepiece_processor.h>

#define LATENT_SP_EXPORT __attribute__((visibility("default")))

struct latent_sp_model {
    sentencepiece::SentencePieceProcessor sp;
    std::vector<std::string> pieces;
    std::vector<int> flags;
};

namespace {

char* copyString(const std::string& s) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (!out) return nullptr;
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

void setError(char** error, const std::string& message) {
    if (error) *error = copyString(message);
}

void check(const sentencepiece::util::Status& status) {
    if (!status.ok()) throw std::runtime_error(status.ToString());
}

// Runs `body` with every exception turned into `error`: nothing may unwind
// through the C boundary. Returns whether it succeeded.
template <typename F>
bool guarded(char** error, F&& body) {
    if (error) *error = nullptr;
    try {
        body();
        return true;
    } catch (const std::bad_alloc&) {
        setError(error, "out of memory");
    } catch (const std::exception& e) {
        setError(error, e.what());
    } catch (...) {
        setError(error, "unknown error");
    }
    return false;
}

}  // namespace

extern "C" {

LATENT_SP_EXPORT latent_sp_model* latent_sp_load(const char* path, char** error) {
    latent_sp_model* loaded = nullptr;
    guarded(error, [&] {
        auto model = std::make_unique<latent_sp_model>();
        check(model->sp.Load(path));
        const int n = model->sp.GetPieceSize();
        model->pieces.reserve(std::size_t(n));
        model->flags.reserve(std::size_t(n));
        for (int id = 0; id < n; ++id) {
            model->pieces.push_back(model->sp.IdToPiece(id));
            model->flags.push_back((model->sp.IsControl(id) ? LATENT_SP_CONTROL : 0) |
                                   (model->sp.IsUnknown(id) ? LATENT_SP_UNKNOWN : 0) |
                                   (model->sp.IsByte(id) ? LATENT_SP_BYTE : 0));
        }
        loaded = model.release();
    });
    return loaded;
}

LATENT_SP_EXPORT void latent_sp_destroy(latent_sp_model* model) { delete model; }

LATENT_SP_EXPORT void latent_sp_free(void* p) { std::free(p); }

LATENT_SP_EXPORT int32_t latent_sp_piece_count(const latent_sp_model* model) {
    return int32_t(model->pieces.size());
}

LATENT_SP_EXPORT const char* latent_sp_piece(const latent_sp_model* model, int32_t id, size_t* size, int* flags) {
    if (id < 0 || std::size_t(id) >= model->pieces.size()) return nullptr;
    const std::string& piece = model->pieces[std::size_t(id)];
    if (size) *size = piece.size();
    if (flags) *flags = model->flags[std::size_t(id)];
    return piece.data();
}

LATENT_SP_EXPORT int32_t latent_sp_bos_id(const latent_sp_model* model) { return model->sp.bos_id(); }

LATENT_SP_EXPORT int32_t latent_sp_eos_id(const latent_sp_model* model) { return model->sp.eos_id(); }

LATENT_SP_EXPORT int latent_sp_encode(const latent_sp_model* model, const char* text, size_t size, int32_t** ids,
                                      size_t* count, char** error) {
    *ids = nullptr;
    *count = 0;
    return guarded(error, [&] {
        std::vector<int> out;
        check(model->sp.Encode(std::string(text, size), &out));
        auto* buffer = static_cast<int32_t*>(std::malloc(sizeof(int32_t) * (out.empty() ? 1 : out.size())));
        if (!buffer) throw std::bad_alloc();
        for (std::size_t i = 0; i < out.size(); ++i) buffer[i] = int32_t(out[i]);
        *ids = buffer;
        *count = out.size();
    }) ? 0 : 1;
}

LATENT_SP_EXPORT int latent_sp_decode(const latent_sp_model* model, const int32_t* ids, size_t count, char** text,
                                      size_t* size, char** error) {
    *text = nullptr;
    *size = 0;
    return guarded(error, [&] {
        std::string out;
        check(model->sp.Decode(std::vector<int>(ids, ids + count), &out));
        char* buffer = copyString(out);
        if (!buffer) throw std::bad_alloc();
        *text = buffer;
        *size = out.size();
    }) ? 0 : 1;
}

}  // extern "C"
