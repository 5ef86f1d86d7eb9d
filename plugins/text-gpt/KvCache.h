#pragma once
// Keys and values of every position seen so far, preallocated for the whole
// context so a step writes one row instead of re-concatenating the cache.
// Layout per layer: [batch, kv heads, capacity, head size], contiguous.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "TransformerConfig.h"

namespace latent::gpt {

class KvCache {
public:
    KvCache(const TransformerConfig& config, std::int64_t capacity, std::int64_t batch, const at::TensorOptions& options);

    std::int64_t capacity() const { return m_capacity; }
    std::int64_t length() const { return m_length; }  // positions filled
    void setLength(std::int64_t length);               // rewinds (regenerate from a token) or grows after a step
    at::Tensor& keys(std::size_t layer) { return m_keys[layer]; }
    at::Tensor& values(std::size_t layer) { return m_values[layer]; }
    std::size_t bytes() const;

private:
    std::vector<at::Tensor> m_keys, m_values;
    std::int64_t m_capacity = 0;
    std::int64_t m_length = 0;
};

}  // namespace latent::gpt
