#pragma once
// Multi-resolution spectral loss (DDSP): L1 distance of STFT magnitudes and of
// their logarithms at FFT sizes 2048 … 64, so both the harmonics' fine
// structure and the transients' timing count.
#include <ATen/core/Tensor.h>

namespace latent::ddsp {

at::Tensor spectralLoss(const at::Tensor& predicted, const at::Tensor& target);  // [B, n] each

}  // namespace latent::ddsp
