#include "ClipShaping.h"

#include <algorithm>
#include <cmath>

namespace latent::audio {

namespace {
double dbToGain(double db) { return std::pow(10.0, db / 20.0); }
}  // namespace

float peakOf(const float* x, std::size_t n) {
    float p = 0.0f;
    for (std::size_t i = 0; i < n; ++i) p = std::max(p, std::fabs(x[i]));
    return p;
}

double rmsOf(const float* x, std::size_t n) {
    if (n == 0) return 0.0;
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += double(x[i]) * double(x[i]);
    return std::sqrt(s / double(n));
}

std::size_t leadingSilenceFrames(const float* x, std::size_t n, double thresholdDb) {
    const float peak = peakOf(x, n);
    if (!(peak > 0.0f)) return n;
    const float threshold = static_cast<float>(peak * dbToGain(thresholdDb));
    for (std::size_t i = 0; i < n; ++i) {
        if (std::fabs(x[i]) >= threshold) return i;
    }
    return n;
}

std::vector<float> shapeClip(const std::vector<float>& x, const ClipShapeOptions& options) {
    const std::size_t frames = static_cast<std::size_t>(std::max(options.frames, 0));
    const float peak = peakOf(x.data(), x.size());
    if (frames == 0 || !(peak >= dbToGain(options.silentPeakDbfs))) return {};
    const std::size_t start = leadingSilenceFrames(x.data(), x.size(), options.trimThresholdDb);
    std::vector<float> out(frames, 0.0f);
    const std::size_t avail = x.size() - start;
    const std::size_t take = std::min(avail, frames);
    std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(start), take, out.begin());
    if (avail > frames) {
        // Cut while still sounding: a linear fade over the last fadeFrames
        // keeps the cut from clicking.
        const std::size_t fade = std::min(frames, static_cast<std::size_t>(std::max(options.fadeFrames, 0)));
        for (std::size_t i = 0; i < fade; ++i) {
            const float g = float(fade - i - 1) / float(fade);
            out[frames - fade + i] *= g;
        }
    }
    return out;
}

double normalizeLoudness(std::vector<float>& x, std::size_t windowFrames, double targetDbfs,
                         double peakCeilingDbfs) {
    const std::size_t w = std::min(x.size(), std::max<std::size_t>(windowFrames, 1));
    const double rms = rmsOf(x.data(), w);
    const float peak = peakOf(x.data(), x.size());
    if (!(rms > 0.0) || !(peak > 0.0f)) return 1.0;
    double gain = dbToGain(targetDbfs) / rms;
    gain = std::min(gain, dbToGain(peakCeilingDbfs) / double(peak));
    for (float& v : x) v = static_cast<float>(v * gain);
    return gain;
}

}  // namespace latent::audio
