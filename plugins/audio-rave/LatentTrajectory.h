#pragma once
// A random latent path for sampling a model without a prior: each dimension
// is a stationary first-order autoregressive process with unit variance, so
// the sound drifts at the chosen time scale instead of jumping every frame
// (white noise per frame, what RAVE's VST does without a prior, is harsh).
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace latent {

// [1, dims, frames] float on the CPU, drawn from `seed` (the same seed gives
// the same path on every device). smoothnessS is the time constant in
// seconds (0: independent frames); values are scaled by `temperature`.
at::Tensor randomLatentTrajectory(int dims, std::int64_t frames, double latentRateHz, double smoothnessS,
                                  double temperature, std::uint64_t seed);

}  // namespace latent
