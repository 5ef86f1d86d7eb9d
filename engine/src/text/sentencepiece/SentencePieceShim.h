/* The C interface of liblatent_sentencepiece.so, the one module that links
 * libsentencepiece. Debian's libsentencepiece carries and exports its own
 * protobuf-lite (3.14); LibTorch brings libprotobuf 3.21, and the two cannot
 * share a symbol scope (one crashes in its static initialisers, or the other
 * aborts on the version check). SentencePieceTokenizer.cpp therefore dlopens
 * this shim with RTLD_LOCAL | RTLD_DEEPBIND, so libsentencepiece resolves its
 * protobuf symbols within itself and never joins the global scope. Only C
 * types cross this boundary; strings and arrays the shim allocates are freed
 * by latent_sp_free. */
#ifndef LATENT_SENTENCEPIECE_SHIM_H
#define LATENT_SENTENCEPIECE_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LATENT_SP_SHIM_FILE "liblatent_sentencepiece.so"

typedef struct latent_sp_model latent_sp_model;

enum {
    LATENT_SP_CONTROL = 1,
    LATENT_SP_UNKNOWN = 2,
    LATENT_SP_BYTE = 4
};

/* Loads a model file. Returns NULL on failure and sets *error to a message
 * (free it with latent_sp_free). */
latent_sp_model* latent_sp_load(const char* path, char** error);
void latent_sp_destroy(latent_sp_model* model);
/* Frees a string or array the shim returned. */
void latent_sp_free(void* p);

int32_t latent_sp_piece_count(const latent_sp_model* model);
/* The piece's text (not NUL-terminated; *size bytes, owned by the model) and
 * its LATENT_SP_* flags. Returns NULL for an id outside the vocabulary. */
const char* latent_sp_piece(const latent_sp_model* model, int32_t id, size_t* size, int* flags);
int32_t latent_sp_bos_id(const latent_sp_model* model);
int32_t latent_sp_eos_id(const latent_sp_model* model);

/* Each returns 0 on success; on failure non-zero and *error is set.
 * latent_sp_encode allocates *ids (*count of them); latent_sp_decode
 * allocates *text (*size bytes plus a NUL). */
int latent_sp_encode(const latent_sp_model* model, const char* text, size_t size, int32_t** ids, size_t* count,
                     char** error);
int latent_sp_decode(const latent_sp_model* model, const int32_t* ids, size_t count, char** text, size_t* size,
                     char** error);

#ifdef __cplusplus
}
#endif

#endif
