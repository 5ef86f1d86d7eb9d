#pragma once
// The differentiable synthesiser (DDSP, Engel et al. 2020): a bank of
// harmonics of f0 with per-harmonic amplitudes, plus white noise shaped by a
// per-frame filter. Controls arrive per frame and are interpolated to samples.
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "DdspConfig.h"

namespace latent::ddsp {

struct SynthControls {
    at::Tensor f0Hz;        // [B, F]
    at::Tensor harmonics;   // [B, H, F] amplitude per harmonic (>= 0, zero above Nyquist)
    at::Tensor noiseBands;  // [B, K, F] filter magnitude per band, linear in frequency
};

// [B, clipFrames] audio. `gen` draws the noise, so a seed gives one sound.
at::Tensor synthesize(const SynthControls& c, const DdspConfig& config, at::Generator& gen);

}  // namespace latent::ddsp
