#include "CpuDecoder.h"

#include <cmath>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "MatVec.h"
#include "TransformerForward.h"
#include "latent/Error.h"

namespace latent::gpt {
namespace {

const float* ptr(const at::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; }

MatRef mat(const at::Tensor& f, const Q8Matrix* q) {
    if (q) return {nullptr, q->values.data_ptr<std::int8_t>(), q->scales.data_ptr<float>()};
    return {ptr(f), nullptr, nullptr};
}

void layerNorm(const float* x, const float* w, const float* b, float* out, std::int64_t n, double eps) {
    double mean = 0;
    for (std::int64_t i = 0; i < n; ++i) mean += x[i];
    mean /= double(n);
    double var = 0;
    for (std::int64_t i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
    var /= double(n);
    const double inv = 1.0 / std::sqrt(var + eps);
    for (std::int64_t i = 0; i < n; ++i) out[i] = float((x[i] - mean) * inv) * w[i] + b[i];
}

void rmsNorm(const float* x, const float* w, float* out, std::int64_t n, double eps) {
    double ss = 0;
    for (std::int64_t i = 0; i < n; ++i) ss += double(x[i]) * x[i];
    const float inv = float(1.0 / std::sqrt(ss / double(n) + eps));
    for (std::int64_t i = 0; i < n; ++i) out[i] = w[i] * (x[i] * inv);
}

float geluTanh(float x) {
    const float k = 0.7978845608028654f;  // sqrt(2 / pi)
    return 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
}

void rope(float* v, const float* cosRow, const float* sinRow, std::int64_t hd) {
    const std::int64_t half = hd / 2;
    for (std::int64_t i = 0; i < half; ++i) {
        const float a = v[i], b = v[i + half];
        v[i] = a * cosRow[i] - b * sinRow[i];
        v[i + half] = b * cosRow[i + half] + a * sinRow[i + half];
    }
}

}  // namespace

CpuDecoder::CpuDecoder(const TransformerConfig& config, const TransformerWeights& w, const Q8Weights* q8)
    : m_c(config) {
    auto check = [](const at::Tensor& t) {
        if (t.defined() && (!t.device().is_cpu() || t.scalar_type() != at::kFloat || !t.is_contiguous()))
            throw Error(ErrorKind::Runtime, "the CPU decoder needs contiguous float32 CPU weights");
    };
    check(w.tokenEmbedding);
    check(w.lmHead);
    m_embedding = q8 ? mat({}, &q8->tokenEmbedding) : mat(w.tokenEmbedding, nullptr);
    m_positions = ptr(w.positionEmbedding);
    m_finalW = ptr(w.finalNormW);
    m_finalB = ptr(w.finalNormB);
    m_lmHead = q8 ? mat({}, &q8->outputLayer()) : mat(w.lmHead, nullptr);
    for (std::size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& l = w.layers[i];
        for (const at::Tensor* t : {&l.norm1W, &l.norm1B, &l.qkvW, &l.qkvB, &l.outW, &l.outB, &l.norm2W, &l.norm2B,
                                    &l.upW, &l.upB, &l.downW, &l.downB})
            check(*t);
        const Q8Layer* q = q8 ? &q8->layers.at(i) : nullptr;
        m_layers.push_back({ptr(l.norm1W), ptr(l.norm1B), mat(l.qkvW, q ? &q->qkv : nullptr), ptr(l.qkvB),
                            mat(l.outW, q ? &q->out : nullptr), ptr(l.outB), ptr(l.norm2W), ptr(l.norm2B),
                            mat(l.upW, q ? &q->up : nullptr), ptr(l.upB), mat(l.downW, q ? &q->down : nullptr),
                            ptr(l.downB)});
    }
    if (m_c.arch == Architecture::Llama) {
        // The same float32 table the torch path computes, so both agree bit for bit.
        m_ropePositions = std::min<std::int64_t>(m_c.maxPositions, 32768);
        auto [c, s] = ropeTables(m_c, 0, m_ropePositions, at::Device("cpu"));
        m_cos.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
        m_sin.assign(s.data_ptr<float>(), s.data_ptr<float>() + s.numel());
    }
}

CpuDecoder::Workspace CpuDecoder::makeWorkspace(std::int64_t cacheCapacity) const {
    Workspace ws;
    ws.x.resize(std::size_t(m_c.dModel));
    ws.h.resize(std::size_t(m_c.dModel));
    ws.qkv.resize(std::size_t(m_c.qkvRows()));
    ws.attn.resize(std::size_t(m_c.nHead * m_c.headDim));
    ws.ff.resize(std::size_t(m_c.arch == Architecture::Llama ? 2 * m_c.dFf : m_c.dFf));
    ws.scores.resize(std::size_t(m_c.nHead * cacheCapacity));
    return ws;
}

void CpuDecoder::step(std::int32_t token, std::int64_t pos, KvCache& cache, Workspace& ws, float* logits) const {
    const std::int64_t d = m_c.dModel, H = m_c.nHead, Hkv = m_c.nKvHead, hd = m_c.headDim, ff = m_c.dFf;
    const std::int64_t G = H / Hkv, cap = cache.capacity();
    const bool gpt2 = m_c.arch == Architecture::Gpt2;
    if (token < 0 || token >= m_c.vocabSize)
        throw Error(ErrorKind::Runtime, "token id " + std::to_string(token) + " is outside the vocabulary");
    if (pos >= cap) throw Error(ErrorKind::Runtime, "the context is full");
    if (!gpt2 && pos >= m_ropePositions) throw Error(ErrorKind::Runtime, "position beyond the rotary table");
    float* x = ws.x.data();
    float* h = ws.h.data();
    if (m_embedding.q) {
        const std::int8_t* e = m_embedding.q + std::int64_t(token) * d;
        const float* sc = m_embedding.scales + std::int64_t(token) * (d / Q8Matrix::kBlock);
        for (std::int64_t i = 0; i < d; ++i) x[i] = float(e[i]) * sc[i / Q8Matrix::kBlock];
    } else {
        std::copy(m_embedding.f + std::int64_t(token) * d, m_embedding.f + std::int64_t(token + 1) * d, x);
    }
    if (gpt2)
        for (std::int64_t i = 0; i < d; ++i) x[i] += m_positions[pos * d + i];
    const float scale = float(1.0 / std::sqrt(double(hd)));
    for (std::size_t li = 0; li < m_layers.size(); ++li) {
        const Layer& l = m_layers[li];
        if (gpt2) layerNorm(x, l.norm1W, l.norm1B, h, d, m_c.normEps);
        else rmsNorm(x, l.norm1W, h, d, m_c.normEps);
        float* qkv = ws.qkv.data();
        gemv(l.qkvW, l.qkvB, h, qkv, m_c.qkvRows(), d);
        float* q = qkv;
        float* k = qkv + H * hd;
        float* v = k + Hkv * hd;
        if (!gpt2) {
            const float* cosRow = m_cos.data() + pos * hd;
            const float* sinRow = m_sin.data() + pos * hd;
            for (std::int64_t hh = 0; hh < H; ++hh) rope(q + hh * hd, cosRow, sinRow, hd);
            for (std::int64_t hh = 0; hh < Hkv; ++hh) rope(k + hh * hd, cosRow, sinRow, hd);
        }
        float* K = cache.keys(li).data_ptr<float>();
        float* V = cache.values(li).data_ptr<float>();
        for (std::int64_t j = 0; j < Hkv; ++j) {
            std::copy(k + j * hd, k + (j + 1) * hd, K + (j * cap + pos) * hd);
            std::copy(v + j * hd, v + (j + 1) * hd, V + (j * cap + pos) * hd);
        }
        const std::int64_t S = pos + 1;
        float* attn = ws.attn.data();
        at::parallel_for(0, H, std::max<std::int64_t>(1, 4096 / std::max<std::int64_t>(S * hd / 64, 1)),
                         [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t hh = begin; hh < end; ++hh) {
                const std::int64_t j = hh / G;
                const float* qh = q + hh * hd;
                const float* Kj = K + j * cap * hd;
                const float* Vj = V + j * cap * hd;
                float* sc = ws.scores.data() + hh * cap;
                float maxv = -INFINITY;
                for (std::int64_t t = 0; t < S; ++t) {
                    sc[t] = dot(qh, Kj + t * hd, hd) * scale;
                    maxv = std::max(maxv, sc[t]);
                }
                float sum = 0;
                for (std::int64_t t = 0; t < S; ++t) {
                    sc[t] = std::exp(sc[t] - maxv);
                    sum += sc[t];
                }
                const float inv = 1.0f / sum;
                float* out = attn + hh * hd;
                std::fill(out, out + hd, 0.0f);
                for (std::int64_t t = 0; t < S; ++t) {
                    const float p = sc[t] * inv;
                    const float* vt = Vj + t * hd;
                    for (std::int64_t i = 0; i < hd; ++i) out[i] += p * vt[i];
                }
            }
        });
        gemv(l.outW, l.outB, attn, h, d, H * hd);
        for (std::int64_t i = 0; i < d; ++i) x[i] += h[i];
        if (gpt2) layerNorm(x, l.norm2W, l.norm2B, h, d, m_c.normEps);
        else rmsNorm(x, l.norm2W, h, d, m_c.normEps);
        float* f = ws.ff.data();
        if (gpt2) {
            gemv(l.upW, l.upB, h, f, ff, d);
            for (std::int64_t i = 0; i < ff; ++i) f[i] = geluTanh(f[i]);
        } else {
            gemv(l.upW, nullptr, h, f, 2 * ff, d);
            for (std::int64_t i = 0; i < ff; ++i) {
                const float g = f[i];
                f[i] = g / (1.0f + std::exp(-g)) * f[ff + i];
            }
        }
        gemv(l.downW, l.downB, f, h, d, ff);
        for (std::int64_t i = 0; i < d; ++i) x[i] += h[i];
    }
    if (gpt2) layerNorm(x, m_finalW, m_finalB, h, d, m_c.normEps);
    else rmsNorm(x, m_finalW, h, d, m_c.normEps);
    gemv(m_lmHead, nullptr, h, logits, m_c.vocabSize, d);
    cache.setLength(pos + 1);
}

}  // namespace latent::gpt
