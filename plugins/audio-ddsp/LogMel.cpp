#include "LogMel.h"

#include <ATen/ATen.h>

#include <cmath>

namespace latent::ddsp {
namespace {

double hzToMel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double melToHz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

}  // namespace

LogMel::LogMel(int sampleRateHz, int fftSize, int hop, int bands) : m_fft(fftSize), m_hop(hop) {
    const int bins = fftSize / 2 + 1;
    m_filters = at::zeros({bands, bins}, at::kFloat);
    const double top = hzToMel(sampleRateHz / 2.0);
    auto f = m_filters.accessor<float, 2>();
    for (int b = 0; b < bands; ++b) {
        const double lo = melToHz(top * b / (bands + 1)), mid = melToHz(top * (b + 1) / (bands + 1)),
                     hi = melToHz(top * (b + 2) / (bands + 1));
        for (int i = 0; i < bins; ++i) {
            const double hz = double(i) * sampleRateHz / fftSize;
            const double w = hz <= mid ? (hz - lo) / std::max(mid - lo, 1e-9) : (hi - hz) / std::max(hi - mid, 1e-9);
            f[b][i] = float(std::max(0.0, w));
        }
    }
    m_window = at::hann_window(fftSize, at::kFloat);
}

at::Tensor LogMel::operator()(const at::Tensor& audio) const {
    const auto window = m_window.to(audio.device());
    const at::Tensor spec = at::stft(audio, m_fft, m_hop, m_fft, window, true, "reflect", false, true, true);
    const at::Tensor power = at::real(spec * at::conj(spec));
    const at::Tensor mel = at::matmul(m_filters.to(audio.device()), power);  // [B, bands, frames]
    const std::int64_t frames = audio.size(1) / m_hop;
    return (10.0 * at::log10(mel.narrow(2, 0, frames).clamp_min(1e-10)) / 40.0 + 1.0);  // ~[-1, 1] for -80..0 dB
}

}  // namespace latent::ddsp
