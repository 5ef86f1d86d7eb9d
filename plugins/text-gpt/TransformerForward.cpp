#include "TransformerForward.h"

#include <cmath>
#include <limits>

#include <torch/torch.h>
#include <torch/version.h>

#include "MatVec.h"

namespace latent::gpt {
namespace {

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, true) + eps);
    return weight * normed.to(x.scalar_type());
}

at::Tensor rotateHalf(const at::Tensor& x) {
    const std::int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// q [B, H, T, hd], k and v [B, Hkv, S, hd]; query t sits at absolute position
// start + t and sees keys 0 .. start + t.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, std::int64_t start) {
    const std::int64_t B = q.size(0), H = q.size(1), T = q.size(2), hd = q.size(3);
    const std::int64_t Hkv = k.size(1), S = k.size(2), G = H / Hkv;
#if TORCH_VERSION_MAJOR >= 2
    // Fused attention (flash / memory-efficient kernels) where LibTorch has it.
    if (!q.device().is_cpu()) {
        const at::Tensor kk = G > 1 ? k.repeat_interleave(G, 1) : k;
        const at::Tensor vv = G > 1 ? v.repeat_interleave(G, 1) : v;
        if (T == 1) return at::scaled_dot_product_attention(q, kk, vv);
        if (start == 0 && S == T) return at::scaled_dot_product_attention(q, kk, vv, {}, 0.0, true);
        const at::Tensor allowed =
            at::arange(S, q.options().dtype(at::kLong)).unsqueeze(0) <=
            (at::arange(T, q.options().dtype(at::kLong)) + start).unsqueeze(1);
        return at::scaled_dot_product_attention(q, kk, vv, allowed);
    }
#endif
    // Grouped-query attention without copying keys: the G query heads that
    // share a key/value head become G*T rows of one matrix product.
    const at::Tensor qg = q.reshape({B, Hkv, G * T, hd});
    at::Tensor scores = at::matmul(qg, k.transpose(-1, -2)) * (1.0 / std::sqrt(double(hd)));
    if (T > 1) {
        const at::Tensor blocked = at::arange(S, q.options().dtype(at::kLong)).unsqueeze(0) >
                                   (at::arange(T, q.options().dtype(at::kLong)) + start).unsqueeze(1);  // [T, S]
        scores = scores.view({B, Hkv, G, T, S}).masked_fill(blocked, -std::numeric_limits<float>::infinity())
                     .view({B, Hkv, G * T, S});
    }
    const at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
    return at::matmul(probs, v).view({B, H, T, hd});
}

}  // namespace

std::pair<at::Tensor, at::Tensor> ropeTables(const TransformerConfig& c, std::int64_t start, std::int64_t count,
                                             const at::Device& device) {
    const auto f32 = at::TensorOptions().dtype(at::kFloat).device(device);
    const at::Tensor invFreq =
        1.0 / at::pow(c.ropeTheta, at::arange(0, c.headDim, 2, f32.dtype(at::kLong)).to(at::kFloat) / double(c.headDim));
    const at::Tensor pos = at::arange(start, start + count, f32.dtype(at::kLong)).to(at::kFloat);
    const at::Tensor freqs = at::outer(pos, invFreq);
    const at::Tensor emb = at::cat({freqs, freqs}, -1);
    return {emb.cos(), emb.sin()};
}

at::Tensor transformerForward(const TransformerWeights& w, const TransformerConfig& c, const at::Tensor& tokens,
                              std::int64_t start, KvCache* cache, bool lastOnly, const Q8Weights* q8) {
    const std::int64_t B = tokens.size(0), T = tokens.size(1);
    const std::int64_t d = c.dModel, H = c.nHead, Hkv = c.nKvHead, hd = c.headDim, ff = c.dFf;
    const bool gpt2 = c.arch == Architecture::Gpt2;
    at::Tensor x = q8 ? q8->tokenEmbedding.lookup(tokens) : at::embedding(w.tokenEmbedding, tokens);
    if (gpt2) x = x + at::embedding(w.positionEmbedding, at::arange(start, start + T, tokens.options()));
    at::Tensor cosT, sinT;
    if (!gpt2) {
        std::tie(cosT, sinT) = ropeTables(c, start, T, x.device());
        cosT = cosT.to(x.scalar_type());
        sinT = sinT.to(x.scalar_type());
    }
    for (std::size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights l = q8 ? q8->floatLayer(i, w.layers[i]) : w.layers[i];
        at::Tensor h = gpt2 ? at::layer_norm(x, {d}, l.norm1W, l.norm1B, c.normEps) : rmsNorm(x, l.norm1W, c.normEps);
        const at::Tensor qkv = at::linear(h, l.qkvW, l.qkvB);
        at::Tensor q = qkv.narrow(-1, 0, H * hd).view({B, T, H, hd}).transpose(1, 2);
        at::Tensor k = qkv.narrow(-1, H * hd, Hkv * hd).view({B, T, Hkv, hd}).transpose(1, 2);
        at::Tensor v = qkv.narrow(-1, (H + Hkv) * hd, Hkv * hd).view({B, T, Hkv, hd}).transpose(1, 2);
        if (!gpt2) {
            q = q * cosT + rotateHalf(q) * sinT;
            k = k * cosT + rotateHalf(k) * sinT;
        }
        if (cache) {
            cache->keys(i).narrow(2, start, T).copy_(k);
            cache->values(i).narrow(2, start, T).copy_(v);
            k = cache->keys(i).narrow(2, 0, start + T);
            v = cache->values(i).narrow(2, 0, start + T);
        }
        const at::Tensor a = attention(q, k, v, cache ? start : 0).transpose(1, 2).reshape({B, T, H * hd});
        x = x + at::linear(a, l.outW, l.outB);
        h = gpt2 ? at::layer_norm(x, {d}, l.norm2W, l.norm2B, c.normEps) : rmsNorm(x, l.norm2W, c.normEps);
        if (gpt2) {
            x = x + at::linear(at::gelu(at::linear(h, l.upW, l.upB), "tanh"), l.downW, l.downB);
        } else {
            const at::Tensor gu = at::linear(h, l.upW);
            x = x + at::linear(at::silu(gu.narrow(-1, 0, ff)) * gu.narrow(-1, ff, ff), l.downW);
        }
    }
    if (cache) cache->setLength(start + T);
    if (lastOnly) x = x.select(1, T - 1);
    x = gpt2 ? at::layer_norm(x, {d}, w.finalNormW, w.finalNormB, c.normEps) : rmsNorm(x, w.finalNormW, c.normEps);
    if (q8 && lastOnly) {
        // One row per sequence: the 8-bit kernel reads the output layer once
        // instead of dequantizing all of it.
        const Q8Matrix& head = q8->outputLayer();
        const at::Tensor rows = x.to(at::kFloat).contiguous();
        at::Tensor logits = at::empty({B, c.vocabSize}, rows.options());
        for (std::int64_t b = 0; b < B; ++b)
            gemv({nullptr, head.values.data_ptr<std::int8_t>(), head.scales.data_ptr<float>()}, nullptr,
                 rows[b].data_ptr<float>(), logits[b].data_ptr<float>(), c.vocabSize, d);
        return logits;
    }
    return at::linear(x, q8 ? q8->outputLayer().dequantize() : w.lmHead).to(at::kFloat);
}

}  // namespace latent::gpt
