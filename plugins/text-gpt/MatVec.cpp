#include "MatVec.h"

#include <algorithm>

#include <ATen/Parallel.h>
#include <immintrin.h>

#include "Q8Matrix.h"

namespace latent::gpt {
namespace {

constexpr std::int64_t kBlock = Q8Matrix::kBlock;
// Matrices smaller than this are read by one thread (see gemv).
constexpr std::int64_t kParallelBytes = std::int64_t(1) << 20;

__attribute__((target("avx2,fma"))) float hsum(__m256 s) {
    __m128 r = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_shuffle_ps(r, r, 1));
    return _mm_cvtss_f32(r);
}

__attribute__((target("avx2,fma"))) float dotAvx2(const float* a, const float* b, std::int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float out = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; ++i) out += a[i] * b[i];
    return out;
}

float dotPlain(const float* a, const float* b, std::int64_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) s[k] += a[i + k] * b[i + k];
    float out = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < n; ++i) out += a[i] * b[i];
    return out;
}

// Eight int8 weights widened to floats.
__attribute__((target("avx2,fma"))) __m256 widen8(const std::int8_t* q) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(q))));
}

__attribute__((target("avx2,fma"))) __m256 blockDot(const std::int8_t* q, const float* x) {
    // Two chains per block so the multiply-adds overlap.
    const __m256 a = _mm256_fmadd_ps(widen8(q + 16), _mm256_loadu_ps(x + 16),
                                     _mm256_mul_ps(widen8(q), _mm256_loadu_ps(x)));
    const __m256 b = _mm256_fmadd_ps(widen8(q + 24), _mm256_loadu_ps(x + 24),
                                     _mm256_mul_ps(widen8(q + 8), _mm256_loadu_ps(x + 8)));
    return _mm256_add_ps(a, b);
}

// n is a multiple of kBlock; each block's dot product is scaled once.
__attribute__((target("avx2,fma"))) float dotQ8Avx2(const std::int8_t* q, const float* scales, const float* x,
                                                    std::int64_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    const std::int64_t blocks = n / kBlock;
    std::int64_t b = 0;
    for (; b + 2 <= blocks; b += 2) {
        acc0 = _mm256_fmadd_ps(blockDot(q + b * kBlock, x + b * kBlock), _mm256_set1_ps(scales[b]), acc0);
        acc1 = _mm256_fmadd_ps(blockDot(q + (b + 1) * kBlock, x + (b + 1) * kBlock), _mm256_set1_ps(scales[b + 1]),
                               acc1);
    }
    if (b < blocks) acc0 = _mm256_fmadd_ps(blockDot(q + b * kBlock, x + b * kBlock), _mm256_set1_ps(scales[b]), acc0);
    return hsum(_mm256_add_ps(acc0, acc1));
}

float dotQ8Plain(const std::int8_t* q, const float* scales, const float* x, std::int64_t n) {
    float out = 0;
    for (std::int64_t b = 0; b < n / kBlock; ++b) {
        float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (std::int64_t i = 0; i < kBlock; i += 8)
            for (int k = 0; k < 8; ++k) s[k] += float(q[b * kBlock + i + k]) * x[b * kBlock + i + k];
        out += (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))) * scales[b];
    }
    return out;
}

__attribute__((target("avx2,fma"))) void dequantizeRowAvx2(const std::int8_t* q, const float* scales, float* out,
                                                           std::int64_t cols) {
    for (std::int64_t b = 0; b < cols / kBlock; ++b) {
        const __m256 s = _mm256_set1_ps(scales[b]);
        for (std::int64_t i = 0; i < kBlock; i += 8)
            _mm256_storeu_ps(out + b * kBlock + i, _mm256_mul_ps(widen8(q + b * kBlock + i), s));
    }
}

void dequantizeRowPlain(const std::int8_t* q, const float* scales, float* out, std::int64_t cols) {
    for (std::int64_t i = 0; i < cols; ++i) out[i] = float(q[i]) * scales[i / kBlock];
}

bool hasAvx2() {
    __builtin_cpu_init();  // static initialisers may run before libgcc's own
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
const bool kAvx2 = hasAvx2();

}  // namespace

float dot(const float* a, const float* b, std::int64_t n) { return kAvx2 ? dotAvx2(a, b, n) : dotPlain(a, b, n); }

void gemv(const MatRef& W, const float* bias, const float* x, float* y, std::int64_t rows, std::int64_t cols) {
    // Only matrices past kParallelBytes are split across the threads: waking
    // a sleeping pool thread costs about as much as streaming that much alone.
    const std::int64_t rowBytes = W.q ? cols : cols * std::int64_t(sizeof(float));
    const std::int64_t grain = std::max<std::int64_t>(1, kParallelBytes / std::max<std::int64_t>(rowBytes, 1));
    at::parallel_for(0, rows, grain, [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t blocks = cols / kBlock;
        for (std::int64_t r = begin; r < end; ++r) {
            const float v = !W.q ? dot(W.f + r * cols, x, cols)
                            : kAvx2 ? dotQ8Avx2(W.q + r * cols, W.scales + r * blocks, x, cols)
                                    : dotQ8Plain(W.q + r * cols, W.scales + r * blocks, x, cols);
            y[r] = v + (bias ? bias[r] : 0.0f);
        }
    });
}

void dequantizeQ8(const std::int8_t* q, const float* scales, float* out, std::int64_t rows, std::int64_t cols) {
    const std::int64_t blocks = cols / kBlock;
    const std::int64_t grain = std::max<std::int64_t>(1, kParallelBytes / std::max<std::int64_t>(cols, 1));
    at::parallel_for(0, rows, grain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            if (kAvx2) dequantizeRowAvx2(q + r * cols, scales + r * blocks, out + r * cols, cols);
            else dequantizeRowPlain(q + r * cols, scales + r * blocks, out + r * cols, cols);
        }
    });
}

}  // namespace latent::gpt
