#pragma once
// A transformer's weights in one layout for both families: every matrix is
// [out, in] (torch's Linear convention, rows contiguous for matrix-vector
// products), GPT-2's Conv1D matrices transposed on load, Llama's Q/K/V and
// gate/up projections fused so each needs one pass over memory.
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "TransformerConfig.h"

namespace latent::gpt {

struct LayerWeights {
    at::Tensor norm1W, norm1B;  // biases undefined for Llama
    at::Tensor qkvW, qkvB;      // [(H + 2 Hkv) hd, d]
    at::Tensor outW, outB;      // [d, H hd]
    at::Tensor norm2W, norm2B;
    at::Tensor upW, upB;        // GPT-2 c_fc [ff, d]; Llama gate and up stacked [2 ff, d]
    at::Tensor downW, downB;    // [d, ff]
};

struct TransformerWeights {
    at::Tensor tokenEmbedding;     // [V, d]
    at::Tensor positionEmbedding;  // [P, d]; GPT-2 only
    std::vector<LayerWeights> layers;
    at::Tensor finalNormW, finalNormB;
    at::Tensor lmHead;             // [V, d]; the embedding itself when tied

    // From Hugging Face tensor names (with or without the "transformer." /
    // "model." prefix). Throws Error(ModelPackage) naming `where`, the tensor
    // and both shapes for anything missing or mis-shaped. Names left over
    // (other than known buffers) are returned in `unused`.
    static TransformerWeights fromHuggingFace(std::map<std::string, at::Tensor> tensors, const TransformerConfig& config,
                                              const std::string& where, std::vector<std::string>* unused = nullptr);

    // Converts every tensor (device, dtype), keeping ties.
    void convert(const at::TensorOptions& options);
    std::size_t bytes() const;
};

}  // namespace latent::gpt
