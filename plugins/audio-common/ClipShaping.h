#pragma once
// Turning a decoded or rendered sound into a training clip of fixed length:
// trim leading silence, cut (with a short fade-out) or pad with zeros, and
// bring file-based one-shots to a common loudness.
#include <cstddef>
#include <vector>

namespace latent::audio {

struct ClipShapeOptions {
    int frames = 16000;               // output length
    double trimThresholdDb = -50.0;   // relative to the clip's own peak
    double silentPeakDbfs = -80.0;    // a clip whose peak is below this is "silent"
    int fadeFrames = 160;             // fade-out applied when the sound is cut (10 ms at 16 kHz)
};

// Peak magnitude and RMS level of x[0, n).
float peakOf(const float* x, std::size_t n);
double rmsOf(const float* x, std::size_t n);

// The first frame whose magnitude reaches peak·10^(thresholdDb/20); n when
// the clip is empty or all zero.
std::size_t leadingSilenceFrames(const float* x, std::size_t n, double thresholdDb);

// Trim leading silence, then cut to options.frames with a linear fade-out over
// the last fadeFrames (only when sound was cut off) or pad with zeros. Returns
// an empty vector when the clip is silent (peak below silentPeakDbfs).
std::vector<float> shapeClip(const std::vector<float>& x, const ClipShapeOptions& options);

// Scales x so that the RMS over its first windowFrames frames (the attack and
// body of a one-shot; the whole clip when shorter) is targetDbfs, lowered
// where needed so the peak stays at or below peakCeilingDbfs. Returns the gain
// applied (1 for a silent clip).
double normalizeLoudness(std::vector<float>& x, std::size_t windowFrames, double targetDbfs,
                         double peakCeilingDbfs);

}  // namespace latent::audio
