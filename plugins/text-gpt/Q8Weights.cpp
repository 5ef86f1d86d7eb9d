#include "Q8Weights.h"

#include <torch/torch.h>

#include "latent/Error.h"

namespace latent::gpt {

Q8Weights Q8Weights::quantize(TransformerWeights& w, const TransformerConfig& c) {
    for (std::int64_t cols : {c.dModel, c.nHead * c.headDim, c.dFf})
        if (cols % Q8Matrix::kBlock != 0)
            throw Error(ErrorKind::BadArgument,
                        "8-bit weights need the model's widths to be multiples of " + std::to_string(Q8Matrix::kBlock) +
                            " (this " + c.archName() + " has d_model " + std::to_string(c.dModel) + ", attention " +
                            std::to_string(c.nHead * c.headDim) + ", feed-forward " + std::to_string(c.dFf) +
                            "); load it in float32");
    Q8Weights q;
    const bool tied = w.lmHead.is_same(w.tokenEmbedding);
    q.tokenEmbedding = Q8Matrix::quantize(w.tokenEmbedding);
    if (!tied) q.lmHead = Q8Matrix::quantize(w.lmHead);
    for (const LayerWeights& l : w.layers)
        q.layers.push_back({Q8Matrix::quantize(l.qkvW), Q8Matrix::quantize(l.outW), Q8Matrix::quantize(l.upW),
                            Q8Matrix::quantize(l.downW)});
    // Only now that nothing can throw: drop the float32 copies.
    w.tokenEmbedding = at::Tensor();
    w.lmHead = at::Tensor();
    for (LayerWeights& l : w.layers) l.qkvW = l.outW = l.upW = l.downW = at::Tensor();
    return q;
}

LayerWeights Q8Weights::floatLayer(std::size_t i, const LayerWeights& rest) const {
    LayerWeights l = rest;
    const Q8Layer& q = layers.at(i);
    l.qkvW = q.qkv.dequantize();
    l.outW = q.out.dequantize();
    l.upW = q.up.dequantize();
    l.downW = q.down.dequantize();
    return l;
}

std::size_t Q8Weights::bytes() const {
    std::size_t total = tokenEmbedding.bytes() + lmHead.bytes();
    for (const Q8Layer& l : layers) total += l.qkv.bytes() + l.out.bytes() + l.up.bytes() + l.down.bytes();
    return total;
}

}  // namespace latent::gpt
