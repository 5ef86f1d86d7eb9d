#pragma once
// A weight matrix in 8 bits (the idea of llama.cpp's q8_0): each row is cut
// into blocks of 32 values stored as int8 with one float32 scale (the
// block's largest magnitude / 127). Decoding reads every weight once per
// token, so a quarter of the bytes is close to four times the tokens/s;
// the rounding error is at most half a step of each block's scale.
#include <cstddef>
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace latent::gpt {

struct Q8Matrix {
    static constexpr std::int64_t kBlock = 32;

    at::Tensor values;  // int8 [rows, cols]
    at::Tensor scales;  // float32 [rows, cols / kBlock]

    // `w`: float [rows, cols] on the CPU with cols a multiple of kBlock.
    static Q8Matrix quantize(const at::Tensor& w);
    // Float32 [rows, cols]: what the 8-bit kernels compute with.
    at::Tensor dequantize() const;
    // Float32 rows for token ids of any shape: an embedding lookup.
    at::Tensor lookup(const at::Tensor& ids) const;

    bool defined() const { return values.defined(); }
    std::size_t bytes() const;
};

}  // namespace latent::gpt
