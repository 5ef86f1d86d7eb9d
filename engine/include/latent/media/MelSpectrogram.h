#pragma once
// A streaming log-mel spectrogram (FFTW3, single precision), fed mono
// samples block by block; columns appear as soon as their window is full.
//
//   MelSpectrogram::Params p;
//   p.sampleRateHz = 48000;
//   MelSpectrogram mel(p);
//   mel.append(samples, n);   // any block size; returns the new column count
//   mel.finish();             // end of stream: the last columns, zero-padded
//   std::vector<float> db = mel.column(i);  // melBands values, band 0 lowest
//
// The analysis, as a NumPy script can repeat it (tests/engine/test_mel_spectrogram.cpp does):
// - Framing is centred (librosa center=True, zero padding): column i is
//   centred on sample i·hop, its window covers [i·hop − fftSize/2,
//   i·hop + fftSize/2); the stream is zero-padded by fftSize/2 at both ends,
//   so n samples give 1 + n/hop columns after finish().
// - Periodic Hann window; the spectrum is scaled by 2/Σw, so a full-scale
//   sine on a bin has magnitude 1; power = |X|².
// - Mel scale: Slaney's (librosa htk=False): linear below 1 kHz (200/3 Hz per
//   mel), logarithmic above (27 mels per factor 6.4). melBands + 2 points are
//   spaced evenly in mel from fMin to fMax; band b is a triangle from point b
//   to point b+2 with peak 1 at point b+1 (librosa.filters.mel(norm=None)).
//   Unit-peak triangles keep the reading a level: a full-scale tone reads
//   about 0 dB in its band, whatever the band's width.
// - dB = 10·log10(max(mel power, 1e-10)) relative to a fixed reference of
//   1.0 (not to the loudest column, which a stream does not know yet),
//   clamped to [kFloorDb, kCeilDb] = [−80, +20]: top_db 80 below the
//   reference, 20 dB of headroom for wide, loud bands.
//
// Storage is bounded. Columns are kept as uint16 (dB over the 100 dB range,
// steps of 0.0015 dB), melBands × 2 bytes each: 160 bytes for 80 bands, i.e.
// 30 kB per second of 48 kHz audio at hop 256 (108 MB for 2 hours — too
// much). So, as in AudioPeaks, a pyramid: level k+1 keeps the per-band
// maximum of kFactor (4) columns of level k, and when the levels outgrow the
// byte budget (Params::maxBytes, default 64 MiB) the finest level is dropped.
// With the defaults at 48 kHz: full resolution (5.3 ms columns) for takes up
// to ~28 minutes, 21 ms columns up to ~1.8 hours, 85 ms beyond (2 hours: ~17 MB).
// A view that is zoomed in further than the finest kept level shows that
// level's columns stretched.
//
// FFTW's planner is not thread-safe: plans are made and destroyed under a
// process-wide mutex (FFTW_ESTIMATE, so planning is quick and measures
// nothing). Executing is thread-safe; one MelSpectrogram is used by one thread.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace latent {

class MelSpectrogram {
public:
    static constexpr float kFloorDb = -80.0f;
    static constexpr float kCeilDb = 20.0f;
    static constexpr int kFactor = 4;
    static constexpr int kMaxLevels = 12;
    static constexpr std::size_t kDefaultMaxBytes = std::size_t(64) << 20;

    struct Params {
        int sampleRateHz = 48000;
        int fftSize = 1024;  // even, ≥ 16
        int hop = 256;       // 1 … fftSize
        int melBands = 80;   // 1 … 512
        double fMinHz = 0.0;
        double fMaxHz = 0.0;  // 0: sampleRateHz / 2
        std::size_t maxBytes = kDefaultMaxBytes;  // 0: unbounded
    };

    // Throws latent::Error BadArgument for parameters outside the ranges above.
    explicit MelSpectrogram(const Params& params);
    ~MelSpectrogram();
    MelSpectrogram(const MelSpectrogram&) = delete;
    MelSpectrogram& operator=(const MelSpectrogram&) = delete;

    // Params as used (fMaxHz filled in).
    const Params& params() const { return m_params; }
    int bands() const { return m_params.melBands; }

    // Appends `n` mono samples; returns how many columns became complete.
    // Throws BadArgument after finish().
    std::int64_t append(const float* mono, std::int64_t n);
    // Ends the stream: pads it with zeros and computes the last columns
    // (those centred on the stream's last hop). Returns how many.
    std::int64_t finish();
    bool finished() const { return m_finished; }
    // Forgets every sample and column (same parameters).
    void reset();

    std::int64_t samples() const { return m_samples; }
    // Columns so far, at full resolution: column i is centred on sample i·hop.
    std::int64_t columns() const { return m_columns; }

    // dB per band (band 0 lowest) of column i, from the finest kept level
    // (the maximum of its group there); false and kFloorDb when i is out of range.
    bool column(std::int64_t i, std::span<float> outDb) const;
    std::vector<float> column(std::int64_t i) const;
    // Per-band maximum over columns [first, last), quantised (toDb() reads
    // it): what one pixel column of a zoomed-out view shows. Exact over the
    // span widened to the finest kept group boundaries; O(levels) groups read.
    bool columnMax(std::int64_t first, std::int64_t last, std::span<std::uint16_t> out) const;

    static std::uint16_t quantise(float db);
    static float toDb(std::uint16_t q);

    int levelCount() const { return int(m_levels.size()); }
    int finestLevel() const { return m_finest; }
    std::int64_t groupColumns(int level) const;  // kFactor^level
    std::size_t memoryBytes() const;

    // The filter bank, for axis labels and tests.
    static double hzToMel(double hz);
    static double melToHz(double mel);
    double bandCentreHz(int band) const;
    // The mel band whose triangle peaks nearest to `hz`.
    int bandForHz(double hz) const;

private:
    struct Filter {
        int firstBin = 0;
        std::vector<float> weights;
    };
    struct Level {
        std::vector<std::uint16_t> groups;   // groupCount × bands
        std::vector<std::uint16_t> partial;  // max over the group being filled
        std::int64_t partialColumns = 0;
        std::int64_t columns = 0;  // columns per group
    };
    struct Fft;

    void computeColumn();
    void addColumn(const std::uint16_t* q);
    void completePartial(int level);
    void enforceBudget();
    std::int64_t groupCount(int level) const;

    Params m_params;
    std::vector<float> m_window;
    std::vector<Filter> m_filters;
    std::vector<double> m_melPoints;  // Hz of the melBands + 2 triangle corners
    std::unique_ptr<Fft> m_fft;
    std::vector<float> m_ring;  // the last fftSize samples (padded stream)
    std::int64_t m_pushed = 0;  // samples of the padded stream pushed into the ring
    std::int64_t m_samples = 0;
    std::int64_t m_columns = 0;
    bool m_finished = false;
    std::vector<std::uint16_t> m_scratch;
    std::vector<float> m_power;
    int m_finest = 0;
    std::vector<Level> m_levels;
};

}  // namespace latent
