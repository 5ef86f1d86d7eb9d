// Interpolation latents: linear steps end exactly at A and B, spherical steps
// keep their norms between the endpoints', and the drawn latents are fixed.
#include <QtTest>

#include <cmath>

#include "panels/image/LatentMath.h"

using namespace latent;

namespace {
double norm(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * double(x);
    return std::sqrt(s);
}
}  // namespace

class tst_LatentMath : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linearEndsAtTheEndpoints() {
        const std::vector<float> a{0.3f, -1.2f, 2.0f, 0.0f}, b{-0.7f, 0.4f, 1.0f, 3.0f};
        for (int steps = 3; steps <= 16; ++steps) {
            const auto path = interpolateLatents(a, b, steps, InterpolationMode::Linear);
            QCOMPARE(int(path.size()), steps);
            QCOMPARE(path.front(), a);
            QCOMPARE(path.back(), b);
        }
        const auto path = interpolateLatents(a, b, 5, InterpolationMode::Linear);
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY(std::abs(path[2][i] - 0.5f * (a[i] + b[i])) < 1e-6);  // the midpoint
    }

    void sphericalKeepsNormsBetweenTheEndpoints() {
        const std::vector<float> a{1.0f, 0.0f, 0.0f, 0.5f}, b{0.0f, 2.5f, -1.0f, 0.0f};
        const double na = norm(a), nb = norm(b);
        const auto path = interpolateLatents(a, b, 9, InterpolationMode::Spherical);
        QCOMPARE(int(path.size()), 9);
        QCOMPARE(path.front(), a);
        QCOMPARE(path.back(), b);
        double last = na;
        for (const auto& v : path) {
            const double n = norm(v);
            QVERIFY2(n >= std::min(na, nb) - 1e-5 && n <= std::max(na, nb) + 1e-5, qPrintable(QString::number(n)));
            QVERIFY(n >= last - 1e-5);  // na < nb here: the norm grows steadily
            last = n;
        }
        // Equal norms stay on the sphere, where a linear mix would cut inside it.
        const std::vector<float> c{2.0f, 0.0f}, d{0.0f, 2.0f};
        const auto arc = interpolateLatents(c, d, 5, InterpolationMode::Spherical);
        for (const auto& v : arc) QVERIFY(std::abs(norm(v) - 2.0) < 1e-5);
        QVERIFY(norm(interpolateLatents(c, d, 5, InterpolationMode::Linear)[2]) < 1.5);
        // The midpoint is halfway along the arc: 45°.
        QVERIFY(std::abs(arc[2][0] - arc[2][1]) < 1e-5);
    }

    void degenerateInputs() {
        const std::vector<float> a{1.0f, 1.0f}, twice{2.0f, 2.0f}, zero{0.0f, 0.0f};
        // Parallel: no great circle, still a sensible path of growing norm.
        for (const auto& v : interpolateLatents(a, twice, 4, InterpolationMode::Spherical))
            QVERIFY(std::isfinite(v[0]) && std::abs(v[0] - v[1]) < 1e-6);
        for (const auto& v : interpolateLatents(zero, a, 4, InterpolationMode::Spherical)) QVERIFY(std::isfinite(v[0]));
        QVERIFY(interpolateLatents(a, {1.0f}, 4, InterpolationMode::Linear).empty());
        QVERIFY(interpolateLatents(a, twice, 1, InterpolationMode::Linear).empty());
    }
};

QTEST_GUILESS_MAIN(tst_LatentMath)
#include "tst_LatentMath.moc"
