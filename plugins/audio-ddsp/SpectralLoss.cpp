#include "SpectralLoss.h"

#include <ATen/ATen.h>

namespace latent::ddsp {

at::Tensor spectralLoss(const at::Tensor& predicted, const at::Tensor& target) {
    at::Tensor total = at::zeros({}, predicted.options());
    for (int fft : {2048, 1024, 512, 256, 128, 64}) {
        const at::Tensor window = at::hann_window(fft, predicted.options());
        const auto mag = [&](const at::Tensor& x) {
            return at::abs(at::stft(x, fft, fft / 4, fft, window, true, "reflect", false, true, true));
        };
        const at::Tensor p = mag(predicted), t = mag(target);
        total = total + (p - t).abs().mean() + (at::log(p + 1e-5) - at::log(t + 1e-5)).abs().mean();
    }
    return total;
}

}  // namespace latent::ddsp
