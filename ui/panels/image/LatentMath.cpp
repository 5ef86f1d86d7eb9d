#include "panels/image/LatentMath.h"

#include <algorithm>
#include <cmath>

namespace latent {

namespace {
double norm(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * double(x);
    return std::sqrt(s);
}
}  // namespace

std::vector<float> lerpLatent(const std::vector<float>& a, const std::vector<float>& b, double t) {
    if (a.size() != b.size()) return {};
    if (t <= 0.0) return a;  // exact endpoints, not 1e-7 away from them
    if (t >= 1.0) return b;
    std::vector<float> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = float((1.0 - t) * a[i] + t * b[i]);
    return out;
}

std::vector<float> slerpLatent(const std::vector<float>& a, const std::vector<float>& b, double t) {
    if (a.size() != b.size()) return {};
    if (t <= 0.0) return a;
    if (t >= 1.0) return b;
    const double na = norm(a), nb = norm(b);
    if (na < 1e-12 || nb < 1e-12) return lerpLatent(a, b, t);  // no direction to turn
    double cosine = 0;
    for (std::size_t i = 0; i < a.size(); ++i) cosine += (double(a[i]) / na) * (double(b[i]) / nb);
    cosine = std::clamp(cosine, -1.0, 1.0);
    const double omega = std::acos(cosine);
    const double radius = (1.0 - t) * na + t * nb;
    std::vector<double> dir(a.size());
    if (std::sin(omega) < 1e-6) {
        // (Anti)parallel: the great circle is undefined; mix the unit vectors.
        for (std::size_t i = 0; i < a.size(); ++i) dir[i] = (1.0 - t) * a[i] / na + t * b[i] / nb;
    } else {
        const double wa = std::sin((1.0 - t) * omega) / std::sin(omega);
        const double wb = std::sin(t * omega) / std::sin(omega);
        for (std::size_t i = 0; i < a.size(); ++i) dir[i] = wa * a[i] / na + wb * b[i] / nb;
    }
    double nd = 0;
    for (double x : dir) nd += x * x;
    nd = std::sqrt(nd);
    std::vector<float> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = float(nd > 1e-12 ? dir[i] / nd * radius : 0.0);
    return out;
}

std::vector<std::vector<float>> interpolateLatents(const std::vector<float>& a, const std::vector<float>& b, int steps,
                                                   InterpolationMode mode) {
    std::vector<std::vector<float>> out;
    if (a.size() != b.size() || a.empty() || steps < 2) return out;
    out.reserve(std::size_t(steps));
    for (int i = 0; i < steps; ++i) {
        const double t = double(i) / double(steps - 1);
        out.push_back(mode == InterpolationMode::Spherical ? slerpLatent(a, b, t) : lerpLatent(a, b, t));
    }
    return out;
}

}  // namespace latent
