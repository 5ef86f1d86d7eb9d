#include "HarmonicNoiseSynth.h"

#include <ATen/ATen.h>

#include <cmath>

namespace latent::ddsp {
namespace {

constexpr int kNoiseFft = 512;
constexpr int kNoiseWindow = 320;  // a Hann window at hop 160 overlaps to a constant

// [B, C, F] frames -> [B, C, n] samples, linear between frame centres.
at::Tensor toSamples(const at::Tensor& frames, std::int64_t n) {
    return at::upsample_linear1d(frames, {n}, false);
}

}  // namespace

at::Tensor synthesize(const SynthControls& c, const DdspConfig& config, at::Generator& gen) {
    const std::int64_t n = config.clipFrames;
    const auto opts = c.f0Hz.options();
    // Harmonic bank: phase of the fundamental, k-th harmonic at k times it.
    const at::Tensor f0 = toSamples(c.f0Hz.unsqueeze(1), n).squeeze(1);  // [B, n]
    const at::Tensor phase = at::cumsum(f0 * (2.0 * M_PI / config.sampleRateHz), 1);
    const at::Tensor k = at::arange(1, config.harmonics + 1, opts).view({1, -1, 1});
    const at::Tensor amps = toSamples(c.harmonics, n);  // [B, H, n]
    const at::Tensor harmonic = (at::sin(phase.unsqueeze(1) * k) * amps).sum(1);

    // Filtered noise: white noise's STFT scaled bin by bin by the bands
    // (interpolated over frequency and time), back by the inverse STFT.
    const std::int64_t batch = c.f0Hz.size(0);
    const at::Tensor noise = at::rand({batch, n}, gen, opts.dtype(at::kFloat).device(at::kCPU)).to(opts.device()) * 2 - 1;
    const at::Tensor window = at::hann_window(kNoiseWindow, opts);
    const at::Tensor spec = at::stft(noise, kNoiseFft, config.hop, kNoiseWindow, window, true, "reflect", false, true, true);
    const std::int64_t bins = spec.size(1), frames = spec.size(2);
    at::Tensor gains = at::upsample_linear1d(c.noiseBands.transpose(1, 2), {bins}, true).transpose(1, 2);  // [B, bins, F]
    gains = at::upsample_linear1d(gains, {frames}, false);
    const at::Tensor shaped = at::istft(spec * gains, kNoiseFft, config.hop, kNoiseWindow, window, true, false,
                                        c10::nullopt, n, false);
    return harmonic + shaped;
}

}  // namespace latent::ddsp
