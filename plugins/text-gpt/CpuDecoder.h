#pragma once
// Single-token decoding on the CPU (float32 or 8-bit weights, float32
// activations), written for what decoding is:
// a chain of matrix-vector products that read every weight once per token,
// so speed is memory bandwidth. Torch's generic path spends most of a token
// in per-op overhead and in BLAS gemv at a fraction of bandwidth; these
// kernels stream each weight row once with AVX2 FMA across the intra-op
// threads and keep the KV cache in place.
#include <cstdint>
#include <vector>

#include "KvCache.h"
#include "MatVec.h"
#include "Q8Weights.h"
#include "TransformerConfig.h"
#include "TransformerWeights.h"

namespace latent::gpt {

class CpuDecoder {
public:
    // Keeps raw pointers into `weights` (float32, contiguous, CPU) and, for
    // 8-bit decoding, `q8` (whose matrices replace the float32 ones): the
    // decoder must not outlive them.
    CpuDecoder(const TransformerConfig& config, const TransformerWeights& weights, const Q8Weights* q8 = nullptr);

    // Per-job scratch buffers.
    struct Workspace {
        std::vector<float> x, h, qkv, attn, ff, scores;
    };
    Workspace makeWorkspace(std::int64_t cacheCapacity) const;

    // Runs `token` at position `pos` (the cache holds 0 .. pos-1), stores its
    // key and value, and writes the next-token logits (vocab size floats).
    void step(std::int32_t token, std::int64_t pos, KvCache& cache, Workspace& ws, float* logits) const;

private:
    struct Layer {
        const float *norm1W, *norm1B;
        MatRef qkvW;
        const float* qkvB;
        MatRef outW;
        const float *outB, *norm2W, *norm2B;
        MatRef upW;
        const float* upB;
        MatRef downW;
        const float* downB;
    };
    TransformerConfig m_c;
    MatRef m_embedding;
    const float* m_positions = nullptr;
    const float* m_finalW = nullptr;
    const float* m_finalB = nullptr;
    MatRef m_lmHead;
    std::vector<Layer> m_layers;
    std::vector<float> m_cos, m_sin;  // rotary tables [positions, head size]
    std::int64_t m_ropePositions = 0;
};

}  // namespace latent::gpt
