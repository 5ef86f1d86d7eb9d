#include "latent/media/WaveformThumbnail.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "latent/Error.h"

namespace latent {

namespace {

constexpr int kMaxSide = 8192;

struct Rgb {
    std::uint8_t r, g, b;
};
constexpr Rgb kBackground{0x1b, 0x1f, 0x27};  // dark slate
constexpr Rgb kPeak{0x3f, 0x87, 0xe0};        // mid-blue
constexpr Rgb kRms{0x8c, 0xbd, 0xf5};         // lighter blue
constexpr Rgb kCentre{0x3a, 0x55, 0x78};      // the peak blue, dimmed

std::uint8_t mix(std::uint8_t a, std::uint8_t b, double t) {
    return std::uint8_t(std::lround(double(a) + (double(b) - double(a)) * t));
}

Rgb blend(Rgb under, Rgb over, double coverage) {
    return {mix(under.r, over.r, coverage), mix(under.g, over.g, coverage), mix(under.b, over.b, coverage)};
}

void put(std::vector<std::uint8_t>& rgba, int width, int x, int y, Rgb c) {
    const std::size_t i = (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 4;
    rgba[i] = c.r;
    rgba[i + 1] = c.g;
    rgba[i + 2] = c.b;
    rgba[i + 3] = 0xff;
}

// Coverage of pixel row y (spanning [y, y + 1)) by the band [top, bottom).
double coverage(int y, double top, double bottom) {
    return std::clamp(std::min(double(y + 1), bottom) - std::max(double(y), top), 0.0, 1.0);
}

}  // namespace

ImageFrame waveformThumbnail(const AudioClip& clip, int width, int height) {
    if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide)
        throw Error(ErrorKind::BadArgument, "A waveform picture must be 1 to " + std::to_string(kMaxSide) +
                                                " pixels each way, not " + std::to_string(width) + " × " +
                                                std::to_string(height));
    std::vector<std::uint8_t> rgba(std::size_t(width) * std::size_t(height) * 4);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) put(rgba, width, x, y, kBackground);

    const double centre = double(height) / 2.0;
    const double half = double(height) / 2.0;
    const std::int64_t frames = clip.channels > 0 ? clip.frames() : 0;
    const auto channels = std::size_t(std::max(clip.channels, 1));
    for (int x = 0; x < width && frames > 0; ++x) {
        // The frames of column x; every column gets at least one when the clip is shorter than the width.
        const std::int64_t begin = std::min(frames - 1, std::int64_t(x) * frames / width);
        const std::int64_t end = std::max(begin + 1, std::int64_t(x + 1) * frames / width);
        float peak = 0.0f;
        double sumSquares = 0.0;
        for (std::size_t i = std::size_t(begin) * channels; i < std::size_t(end) * channels; ++i) {
            const float v = std::isfinite(clip.samples[i]) ? std::min(std::fabs(clip.samples[i]), 1.0f) : 0.0f;
            peak = std::max(peak, v);
            sumSquares += double(v) * double(v);
        }
        const double rms = std::sqrt(sumSquares / double(std::size_t(end - begin) * channels));
        const double peakTop = centre - double(peak) * half, peakBottom = centre + double(peak) * half;
        const double rmsTop = centre - rms * half, rmsBottom = centre + rms * half;
        for (int y = std::max(0, int(std::floor(peakTop))); y < std::min(height, int(std::ceil(peakBottom))); ++y) {
            Rgb c = blend(kBackground, kPeak, coverage(y, peakTop, peakBottom));
            c = blend(c, kRms, coverage(y, rmsTop, rmsBottom));
            put(rgba, width, x, y, c);
        }
    }
    // The centre line, one pixel thick, over background only (the waveform covers it where it is louder).
    const int lineY = std::min(height - 1, int(centre));
    for (int x = 0; x < width; ++x) {
        const std::size_t i = (std::size_t(lineY) * std::size_t(width) + std::size_t(x)) * 4;
        if (rgba[i] == kBackground.r && rgba[i + 1] == kBackground.g && rgba[i + 2] == kBackground.b)
            put(rgba, width, x, lineY, kCentre);
    }
    return makeImageFrame(width, height, std::move(rgba));
}

}  // namespace latent
