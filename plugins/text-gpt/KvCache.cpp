#include "KvCache.h"

#include <torch/torch.h>

#include "latent/Error.h"

namespace latent::gpt {

KvCache::KvCache(const TransformerConfig& c, std::int64_t capacity, std::int64_t batch, const at::TensorOptions& options)
    : m_capacity(capacity) {
    // Uninitialised: attention reads only positions below length(), all written first.
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        m_keys.push_back(at::empty({batch, c.nKvHead, capacity, c.headDim}, options));
        m_values.push_back(at::empty({batch, c.nKvHead, capacity, c.headDim}, options));
    }
}

void KvCache::setLength(std::int64_t length) {
    if (length < 0 || length > m_capacity)
        throw Error(ErrorKind::Runtime, "KV cache position " + std::to_string(length) + " outside 0.." +
                                            std::to_string(m_capacity));
    m_length = length;
}

std::size_t KvCache::bytes() const {
    std::size_t total = 0;
    for (const auto& t : m_keys) total += std::size_t(t.numel()) * t.element_size() * 2;
    return total;
}

}  // namespace latent::gpt
