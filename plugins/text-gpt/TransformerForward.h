#pragma once
// The transformer's forward pass in torch operations: prompt prefill,
// training and any device or dtype (CUDA fp16/bf16). Single-token decoding
// on the CPU has its own kernels (CpuDecoder); both follow this reference.
#include <cstdint>
#include <utility>

#include <ATen/core/Tensor.h>

#include "KvCache.h"
#include "Q8Weights.h"
#include "TransformerConfig.h"
#include "TransformerWeights.h"

namespace latent::gpt {

// Runs `tokens` [B, T] (int64) at positions start .. start+T-1. With a cache
// their keys and values are written into it and attention covers every
// cached position before them; without one (training) it covers the T tokens
// alone. Returns float32 logits [B, T, V], or [B, V] for the last position
// only when `lastOnly` (prefill needs just that one). With `q8` the large
// matrices come from there, dequantized one layer at a time.
at::Tensor transformerForward(const TransformerWeights& weights, const TransformerConfig& config,
                              const at::Tensor& tokens, std::int64_t start, KvCache* cache, bool lastOnly = false,
                              const Q8Weights* q8 = nullptr);

// Rotary tables for positions start .. start+count-1: cos and sin [count,
// head size] in float32, computed as Hugging Face's Llama does.
std::pair<at::Tensor, at::Tensor> ropeTables(const TransformerConfig& config, std::int64_t start, std::int64_t count,
                                             const at::Device& device);

}  // namespace latent::gpt
