#pragma once
// Log-mel spectrograms in torch (HTK mel scale, triangular filters, 10·log10
// power): the encoder's input and the evaluation classifier's.
#include <ATen/core/Tensor.h>

namespace latent::ddsp {

class LogMel {
public:
    LogMel(int sampleRateHz, int fftSize, int hop, int bands);
    // audio [B, n] -> [B, bands, n / hop] (frames past the clip dropped)
    at::Tensor operator()(const at::Tensor& audio) const;

private:
    int m_fft, m_hop;
    at::Tensor m_filters;  // [bands, fft/2 + 1]
    at::Tensor m_window;
};

}  // namespace latent::ddsp
