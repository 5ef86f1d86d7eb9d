#pragma once
// Latent arithmetic for the editor (Qt-free): interpolation between two
// latents. Linear mixes the coordinates; spherical (slerp) turns the
// direction along the great circle and blends the lengths linearly, so every
// step keeps a norm between the endpoints' — which is where a Gaussian
// prior puts its samples, unlike the shrunken midpoints of a linear mix.
#include <cstdint>
#include <vector>

namespace latent {

// Persisted in settings: start at 1, never renumber.
enum class InterpolationMode { Invalid = 0, Linear = 1, Spherical = 2 };

std::vector<float> lerpLatent(const std::vector<float>& a, const std::vector<float>& b, double t);
std::vector<float> slerpLatent(const std::vector<float>& a, const std::vector<float>& b, double t);
// `steps` latents from a to b, both ends included (steps >= 2); empty when
// the sizes differ.
std::vector<std::vector<float>> interpolateLatents(const std::vector<float>& a, const std::vector<float>& b, int steps,
                                                   InterpolationMode mode);

}  // namespace latent
