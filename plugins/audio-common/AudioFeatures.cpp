#include "AudioFeatures.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

namespace latent::audio {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Vertex offset in (-1, 1) of the parabola through (−1, a), (0, b), (1, c).
double parabolicOffset(double a, double b, double c) {
    const double den = a - 2.0 * b + c;
    if (!(std::fabs(den) > 1e-18)) return 0.0;
    const double off = 0.5 * (a - c) / den;
    return std::clamp(off, -1.0, 1.0);
}

void fft(std::vector<std::complex<double>>& a) {
    const std::size_t n = a.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
        const double ang = -2.0 * kPi / double(len);
        const std::complex<double> wl(std::cos(ang), std::sin(ang));
        for (std::size_t i = 0; i < n; i += len) {
            std::complex<double> w(1.0, 0.0);
            for (std::size_t k = 0; k < len / 2; ++k) {
                const std::complex<double> u = a[i + k];
                const std::complex<double> v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
                w *= wl;
            }
        }
    }
}

}  // namespace

namespace {

// Hann-windowed DFT magnitude of s[0, n) at frequency f (Hz).
double dftMagnitude(const float* s, int n, double f, double sr) {
    const double w = 2.0 * kPi * f / sr;
    double re = 0.0, im = 0.0;
    for (int i = 0; i < n; ++i) {
        const double win = 0.5 - 0.5 * std::cos(2.0 * kPi * double(i) / double(n));
        re += double(s[i]) * win * std::cos(w * i);
        im -= double(s[i]) * win * std::sin(w * i);
    }
    return std::sqrt(re * re + im * im);
}

// The strongest of a few DFT probes within ±3 % of f, over a window of about
// 16 periods of `lowest` Hz (main lobe wide enough for a rough f, narrow
// enough to keep harmonics f/2 apart).
double partialMagnitude(const float* s, int n, double f, double lowest, double sr) {
    if (f <= 0.0 || f >= sr / 2.0) return 0.0;
    const int len = std::min(n, std::max(64, int(16.0 * sr / lowest)));
    double best = 0.0;
    for (int k = -3; k <= 3; ++k) best = std::max(best, dftMagnitude(s, len, f * (1.0 + 0.01 * k), sr));
    return best;
}

// The minimum of v in [lo, hi] (clamped to 1 .. size − 2), refined by
// parabolic interpolation; -1 when the range is empty.
double refinedDip(const std::vector<double>& v, double lo, double hi) {
    const int a = std::max(1, int(std::ceil(lo)));
    const int b = std::min(int(v.size()) - 2, int(std::floor(hi)));
    if (b < a) return -1.0;
    int best = a;
    for (int t = a + 1; t <= b; ++t)
        if (v[std::size_t(t)] < v[std::size_t(best)]) best = t;
    const std::size_t i = std::size_t(best);
    return best + parabolicOffset(v[i - 1], v[i], v[i + 1]);
}

double valueAt(const std::vector<double>& v, double t) {
    const std::size_t i = std::size_t(std::clamp(std::lround(t), 0L, long(v.size()) - 1));
    return v[i];
}

// x low-passed by zeroing FFT bins above `cutoffHz` (raised-cosine taper over
// ±10 % of the cutoff), on a zero-padded buffer so nothing wraps round.
std::vector<float> lowPassed(const float* x, int n, double cutoffHz, double sr) {
    std::size_t size = 1;
    while (size < std::size_t(2 * n)) size <<= 1;
    std::vector<std::complex<double>> buf(size);
    for (int i = 0; i < n; ++i) buf[std::size_t(i)] = {double(x[i]), 0.0};
    fft(buf);
    const double lo = 0.9 * cutoffHz, hi = 1.1 * cutoffHz;
    for (std::size_t b = 0; b < size; ++b) {
        const std::size_t k = b <= size / 2 ? b : size - b;  // |frequency| bin
        const double f = double(k) * sr / double(size);
        double g = 1.0;
        if (f >= hi)
            g = 0.0;
        else if (f > lo)
            g = 0.5 + 0.5 * std::cos(kPi * (f - lo) / (hi - lo));
        buf[b] *= g;
    }
    // Inverse FFT by conjugation.
    for (auto& c : buf) c = std::conj(c);
    fft(buf);
    std::vector<float> out(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out[std::size_t(i)] = float(buf[std::size_t(i)].real() / double(size));
    return out;
}

}  // namespace

double estimateF0(const float* x, int n, int sampleRateHz) {
    if (x == nullptr || n <= 0 || sampleRateHz < 1000) return 0.0;
    const double sr = sampleRateHz;
    const double minF0 = 40.0;
    const double maxF0 = std::min(2500.0, sr / 4.0);
    const int minLag = std::max(2, int(std::floor(sr / maxF0)));
    const int lagLimit = int(std::ceil(sr / minF0));  // 25 ms

    // The middle half of the signal: past the attack, before the release.
    const int start = n / 4;
    const int region = n / 2;
    if (region < 4 * minLag) return 0.0;
    const int maxLag = std::min(lagLimit, region / 2);
    if (maxLag <= minLag + 2) return 0.0;
    const int window = std::min(region - maxLag - 2, int(sr / 4.0));
    if (window < 2 * minLag) return 0.0;
    const float* s = x + start;

    // 1. YIN: difference function d(τ) = Σ (s[j] − s[j+τ])², τ ≤ maxLag + 1,
    // and its cumulative mean normalised form d'(τ).
    double energy = 0.0;
    for (int j = 0; j < window; ++j) energy += double(s[j]) * s[j];
    if (!(energy > 1e-12 * window)) return 0.0;
    std::vector<double> d(std::size_t(maxLag) + 2, 0.0);
    for (int tau = 1; tau < int(d.size()); ++tau) {
        double acc = 0.0;
        for (int j = 0; j < window; ++j) {
            const double diff = double(s[j]) - double(s[j + tau]);
            acc += diff * diff;
        }
        d[std::size_t(tau)] = acc;
    }
    std::vector<double> dn(d.size(), 1.0);
    double running = 0.0;
    for (std::size_t tau = 1; tau < d.size(); ++tau) {
        running += d[tau];
        dn[tau] = running > 0.0 ? d[tau] * double(tau) / running : 1.0;
    }
    constexpr double kThreshold = 0.15;
    constexpr double kAperiodic = 0.35;
    int tau = -1;
    for (int t = minLag; t <= maxLag; ++t) {
        if (dn[std::size_t(t)] < kThreshold) {
            while (t + 1 <= maxLag && dn[std::size_t(t) + 1] < dn[std::size_t(t)]) ++t;
            tau = t;
            break;
        }
    }
    if (tau < 0) {
        int best = minLag;
        for (int t = minLag + 1; t <= maxLag; ++t)
            if (dn[std::size_t(t)] < dn[std::size_t(best)]) best = t;
        if (dn[std::size_t(best)] > kAperiodic) return 0.0;
        tau = best;
    }
    const std::size_t ti = std::size_t(tau);
    double period = tau + parabolicOffset(dn[ti - 1], dn[ti], dn[ti + 1]);

    // 2. Octave checks on the spectrum. A weak fundamental makes YIN take
    // half the period: the dip at twice the lag is much deeper and the
    // spectrum has real partials at odd multiples of f/2. A waveform that is
    // only nearly periodic at one period (a looped sample, aliasing) makes it
    // take twice the period: then the odd multiples of f are missing.
    for (int guard = 0; guard < 3 && 2.0 * period <= maxLag; ++guard) {
        const double f = sr / period;
        const double odd = partialMagnitude(s, window, 0.5 * f, 0.5 * f, sr) +
                           partialMagnitude(s, window, 1.5 * f, 0.5 * f, sr);
        const double even = partialMagnitude(s, window, f, 0.5 * f, sr) + partialMagnitude(s, window, 2.0 * f, 0.5 * f, sr);
        const double twice = refinedDip(dn, 1.75 * period, 2.25 * period);
        if (twice <= 0.0) break;
        const double here = valueAt(dn, period), there = valueAt(dn, twice);
        if (there < 0.5 * here && here - there > 0.04 && odd > 0.06 * even)
            period = twice;
        else
            break;
    }
    for (int guard = 0; guard < 3 && 0.5 * period >= minLag; ++guard) {
        const double f = sr / period;
        const double odd = partialMagnitude(s, window, f, f, sr) + partialMagnitude(s, window, 3.0 * f, f, sr);
        const double even = partialMagnitude(s, window, 2.0 * f, f, sr) + partialMagnitude(s, window, 4.0 * f, f, sr);
        if (!(even > 0.0) || odd >= 0.06 * even) break;
        const double half = refinedDip(dn, 0.375 * period, 0.625 * period);
        if (half <= 0.0 || valueAt(dn, half) > kAperiodic) break;
        period = half;
    }

    // 3. Refine on the fundamental region: low-pass at 2.5 f (the 1st and 2nd
    // partials; the stretched upper partials of a piano would pull the
    // period sharp), then take the peaks of the normalised cross-correlation
    // (insensitive to a decaying level) at 1, 2, 4, … periods up to 25 ms,
    // each found within ±¼ period of the last guess.
    const double f0 = sr / period;
    const std::vector<float> lp = lowPassed(s, region, std::min(2.5 * f0, 0.45 * sr), sr);
    const int refineLag = maxLag;
    const int w = region - refineLag - 2;
    if (w < 2 * minLag) return f0;
    auto nccf = [&](int t) {
        double r = 0.0, e0 = 0.0, e1 = 0.0;
        for (int j = 0; j < w; ++j) {
            const double a = lp[std::size_t(j)], b = lp[std::size_t(j + t)];
            r += a * b;
            e0 += a * a;
            e1 += b * b;
        }
        return e0 > 0.0 && e1 > 0.0 ? r / std::sqrt(e0 * e1) : 0.0;
    };
    for (int m = 1; m * period <= refineLag - 1; m *= 2) {
        const double centre = m * period;
        const int half = std::max(1, int(period / 4.0));
        const int lo = std::max(1, int(std::lround(centre)) - half);
        const int hi = std::min(refineLag, int(std::lround(centre)) + half);
        if (hi < lo) break;
        std::vector<double> v(std::size_t(hi - lo + 3));
        for (int t = lo - 1; t <= hi + 1; ++t) v[std::size_t(t - lo + 1)] = -nccf(t);
        int best = lo;
        for (int t = lo + 1; t <= hi; ++t)
            if (v[std::size_t(t - lo + 1)] < v[std::size_t(best - lo + 1)]) best = t;
        const std::size_t bi = std::size_t(best - lo + 1);
        if (-v[bi] < 0.5) break;  // not a period of this sound
        period = (best + parabolicOffset(v[bi - 1], v[bi], v[bi + 1])) / m;
    }
    return sr / period;
}

double spectralCentroid(const float* x, int n, int sampleRateHz) {
    if (x == nullptr || n <= 0 || sampleRateHz <= 0) return 0.0;
    std::size_t size = 256;
    while (size < std::size_t(sampleRateHz) * 64 / 1000) size <<= 1;
    const std::size_t hop = size / 2;
    std::vector<double> window(size);
    for (std::size_t i = 0; i < size; ++i) window[i] = 0.5 - 0.5 * std::cos(2.0 * kPi * double(i) / double(size));
    std::vector<double> mag(size / 2 + 1, 0.0);
    std::vector<std::complex<double>> buf(size);
    const std::size_t total = std::size_t(n);
    for (std::size_t pos = 0; pos < total; pos += hop) {
        for (std::size_t i = 0; i < size; ++i) {
            const std::size_t k = pos + i;
            buf[i] = {k < total ? double(x[k]) * window[i] : 0.0, 0.0};
        }
        fft(buf);
        for (std::size_t b = 0; b < mag.size(); ++b) mag[b] += std::abs(buf[b]);
        if (pos + size >= total) break;
    }
    double num = 0.0;
    double den = 0.0;
    for (std::size_t b = 0; b < mag.size(); ++b) {
        const double f = double(b) * sampleRateHz / double(size);
        num += f * mag[b];
        den += mag[b];
    }
    return den > 1e-12 ? num / den : 0.0;
}

double centsBetween(double hz, double reference) {
    if (!(hz > 0.0) || !(reference > 0.0)) return 0.0;
    return 1200.0 * std::log2(hz / reference);
}

double midiToHz(double midiPitch) { return 440.0 * std::pow(2.0, (midiPitch - 69.0) / 12.0); }

}  // namespace latent::audio
