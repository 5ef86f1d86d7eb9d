#pragma once
// The kernels of single-token decoding: dot products and matrix-vector
// products over float32 or 8-bit (Q8Matrix) weights, AVX2 + FMA where the
// CPU has them (checked at run time), plain C++ elsewhere.
#include <cstdint>

namespace latent::gpt {

// A row-major [rows, cols] weight matrix: float32 (`f`) or 8-bit (`q` with
// one scale per 32 values in `scales`).
struct MatRef {
    const float* f = nullptr;
    const std::int8_t* q = nullptr;
    const float* scales = nullptr;
};

float dot(const float* a, const float* b, std::int64_t n);

// y[r] = W[r] . x (+ bias[r]) for r in [0, rows), split across LibTorch's
// intra-op threads.
void gemv(const MatRef& W, const float* bias, const float* x, float* y, std::int64_t rows, std::int64_t cols);

// out [rows, cols] = the float32 values of 8-bit `q` with its `scales`,
// in parallel: prompt prefill dequantizes a layer at a time.
void dequantizeQ8(const std::int8_t* q, const float* scales, float* out, std::int64_t rows, std::int64_t cols);

}  // namespace latent::gpt
