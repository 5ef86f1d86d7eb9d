#pragma once
// A transformer's large matrices in 8 bits (Q8Matrix): every projection,
// the token embedding and the output layer. Norms, biases and GPT-2's
// position table stay float32 in TransformerWeights (they are a sliver of
// the bytes); the float32 copies of the quantized matrices are dropped, so
// the model takes about a quarter of the memory.
#include <cstddef>
#include <vector>

#include "Q8Matrix.h"
#include "TransformerConfig.h"
#include "TransformerWeights.h"

namespace latent::gpt {

struct Q8Layer {
    Q8Matrix qkv, out, up, down;
};

struct Q8Weights {
    Q8Matrix tokenEmbedding;
    Q8Matrix lmHead;  // undefined when tied to the embedding
    std::vector<Q8Layer> layers;

    // Quantizes `w`'s matrices (float32, CPU) and releases them from `w`.
    // Throws Error(BadArgument) when a matrix's rows are not a multiple of
    // 32 values, leaving `w` as it was.
    static Q8Weights quantize(TransformerWeights& w, const TransformerConfig& config);

    const Q8Matrix& outputLayer() const { return lmHead.defined() ? lmHead : tokenEmbedding; }
    // Layer i with its matrices dequantized (float32) and the rest taken
    // from `rest`: what the batched torch pass computes with.
    LayerWeights floatLayer(std::size_t i, const LayerWeights& rest) const;
    std::size_t bytes() const;
};

}  // namespace latent::gpt
