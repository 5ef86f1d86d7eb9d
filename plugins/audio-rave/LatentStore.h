#pragma once
// A latent trajectory as it grows: frames of `dims` values, frame after frame
// (the layout AudioBlock::latent reports), sliced into [1, dims, n] tensors
// for the model.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace latent {

class LatentStore {
public:
    explicit LatentStore(int dims) : m_dims(dims) {}
    LatentStore(int dims, std::vector<float> frameMajor) : m_dims(dims), m_values(std::move(frameMajor)) {}

    int dims() const { return m_dims; }
    std::int64_t frames() const { return std::int64_t(m_values.size()) / m_dims; }
    const std::vector<float>& values() const { return m_values; }

    // frames [a, b) as [1, dims, b - a]
    at::Tensor slice(std::int64_t a, std::int64_t b) const;
    // appends [1, dims, n]
    void append(const at::Tensor& z);

private:
    int m_dims;
    std::vector<float> m_values;
};

}  // namespace latent
