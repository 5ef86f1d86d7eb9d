#include "LatentTrajectory.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace latent {

at::Tensor randomLatentTrajectory(int dims, std::int64_t frames, double latentRateHz, double smoothnessS,
                                  double temperature, std::uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor z = at::randn({1, dims, frames}, gen, at::kFloat);
    const double tauFrames = smoothnessS * latentRateHz;
    if (tauFrames > 0 && frames > 1) {
        // y[t] = a*y[t-1] + sqrt(1-a^2)*n[t] keeps the variance at 1.
        const float a = float(std::exp(-1.0 / tauFrames));
        const float b = std::sqrt(1.0f - a * a);
        float* p = z.data_ptr<float>();
        for (int d = 0; d < dims; ++d) {
            float* row = p + std::int64_t(d) * frames;
            for (std::int64_t t = 1; t < frames; ++t) row[t] = a * row[t - 1] + b * row[t];
        }
    }
    if (temperature != 1.0) z.mul_(temperature);
    return z;
}

}  // namespace latent
