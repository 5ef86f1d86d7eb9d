#include "LatentStore.h"

#include <ATen/ATen.h>

namespace latent {

at::Tensor LatentStore::slice(std::int64_t a, std::int64_t b) const {
    at::Tensor frameMajor = at::from_blob(const_cast<float*>(m_values.data()) + a * m_dims, {b - a, m_dims}, at::kFloat);
    return frameMajor.t().unsqueeze(0).contiguous();  // copies: the store may grow and move
}

void LatentStore::append(const at::Tensor& z) {
    const at::Tensor frameMajor = z.squeeze(0).t().contiguous().to(at::kFloat);
    const float* p = frameMajor.data_ptr<float>();
    m_values.insert(m_values.end(), p, p + frameMajor.numel());
}

}  // namespace latent
