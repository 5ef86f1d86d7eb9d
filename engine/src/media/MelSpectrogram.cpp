#include "latent/media/MelSpectrogram.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>
#include <string>

#include "latent/Error.h"

namespace latent {

namespace {

// FFTW's planner (plan creation and destruction) is not thread-safe; every
// MelSpectrogram in the process plans under this one lock.
std::mutex& fftwPlannerMutex() {
    static std::mutex mutex;
    return mutex;
}

constexpr double kAminPower = 1e-10;

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::BadArgument, "mel spectrogram: " + what);
}

}  // namespace

struct MelSpectrogram::Fft {
    explicit Fft(int n) {
        std::lock_guard lock(fftwPlannerMutex());
        in = fftwf_alloc_real(std::size_t(n));
        out = fftwf_alloc_complex(std::size_t(n / 2 + 1));
        if (in && out) plan = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
        if (!plan) {
            fftwf_free(in);
            fftwf_free(out);
            throw Error(ErrorKind::Runtime, "mel spectrogram: FFTW could not plan a " + std::to_string(n) + "-point FFT");
        }
    }
    ~Fft() {
        std::lock_guard lock(fftwPlannerMutex());
        fftwf_destroy_plan(plan);
        fftwf_free(in);
        fftwf_free(out);
    }
    Fft(const Fft&) = delete;
    Fft& operator=(const Fft&) = delete;

    float* in = nullptr;
    fftwf_complex* out = nullptr;
    fftwf_plan plan = nullptr;
};

double MelSpectrogram::hzToMel(double hz) {
    // Slaney's Auditory Toolbox scale, as librosa (htk=False).
    constexpr double fSp = 200.0 / 3.0;
    constexpr double minLogHz = 1000.0;
    constexpr double minLogMel = minLogHz / fSp;
    const double logStep = std::log(6.4) / 27.0;
    return hz < minLogHz ? hz / fSp : minLogMel + std::log(hz / minLogHz) / logStep;
}

double MelSpectrogram::melToHz(double mel) {
    constexpr double fSp = 200.0 / 3.0;
    constexpr double minLogHz = 1000.0;
    constexpr double minLogMel = minLogHz / fSp;
    const double logStep = std::log(6.4) / 27.0;
    return mel < minLogMel ? mel * fSp : minLogHz * std::exp(logStep * (mel - minLogMel));
}

MelSpectrogram::MelSpectrogram(const Params& params) : m_params(params) {
    Params& p = m_params;
    check(p.sampleRateHz > 0, "the sample rate must be positive");
    check(p.fftSize >= 16 && p.fftSize <= 65536 && p.fftSize % 2 == 0,
          "the FFT size must be even and between 16 and 65536, not " + std::to_string(p.fftSize));
    check(p.hop >= 1 && p.hop <= p.fftSize, "the hop must be between 1 and the FFT size, not " + std::to_string(p.hop));
    check(p.melBands >= 1 && p.melBands <= 512, "the band count must be between 1 and 512");
    if (p.fMaxHz <= 0) p.fMaxHz = p.sampleRateHz / 2.0;
    check(p.fMinHz >= 0 && p.fMinHz < p.fMaxHz && p.fMaxHz <= p.sampleRateHz / 2.0,
          "the band limits must satisfy 0 ≤ fMin < fMax ≤ sampleRate/2");

    const int n = p.fftSize;
    const int bins = n / 2 + 1;
    m_window.resize(std::size_t(n));
    for (int i = 0; i < n; ++i)  // periodic Hann
        m_window[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n));

    // librosa.filters.mel(htk=False, norm=None): triangles between mel points.
    const double melLo = hzToMel(p.fMinHz);
    const double melHi = hzToMel(p.fMaxHz);
    std::vector<double> corners(std::size_t(p.melBands) + 2);
    for (std::size_t i = 0; i < corners.size(); ++i)
        corners[i] = melToHz(melLo + (melHi - melLo) * double(i) / double(p.melBands + 1));
    m_melPoints = corners;
    m_filters.resize(std::size_t(p.melBands));
    for (int b = 0; b < p.melBands; ++b) {
        const double lo = corners[std::size_t(b)], mid = corners[std::size_t(b) + 1], hi = corners[std::size_t(b) + 2];
        Filter& f = m_filters[std::size_t(b)];
        for (int k = 0; k < bins; ++k) {
            const double hz = double(k) * p.sampleRateHz / n;
            const double w = std::max(0.0, std::min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid)));
            if (w <= 0) {
                if (!f.weights.empty()) break;
                continue;
            }
            if (f.weights.empty()) f.firstBin = k;
            f.weights.push_back(float(w));
        }
    }
    m_fft = std::make_unique<Fft>(n);
    m_power.resize(std::size_t(bins));
    m_scratch.resize(std::size_t(p.melBands));
    m_ring.resize(std::size_t(n));
    reset();
}

MelSpectrogram::~MelSpectrogram() = default;

void MelSpectrogram::reset() {
    std::fill(m_ring.begin(), m_ring.end(), 0.0f);
    m_pushed = m_params.fftSize / 2;  // the centring pad: fftSize/2 zeros before sample 0
    m_samples = 0;
    m_columns = 0;
    m_finished = false;
    m_finest = 0;
    m_levels.clear();
    Level base;
    base.columns = 1;
    base.partial.assign(std::size_t(m_params.melBands), 0);
    m_levels.push_back(std::move(base));
}

std::uint16_t MelSpectrogram::quantise(float db) {
    const float t = (std::clamp(db, kFloorDb, kCeilDb) - kFloorDb) / (kCeilDb - kFloorDb);
    return std::uint16_t(std::lround(double(t) * 65535.0));
}

float MelSpectrogram::toDb(std::uint16_t q) { return kFloorDb + float(q) * ((kCeilDb - kFloorDb) / 65535.0f); }

std::int64_t MelSpectrogram::append(const float* mono, std::int64_t n) {
    check(!m_finished, "samples arrived after the end of the stream");
    if (!mono || n <= 0) return 0;
    const std::int64_t size = m_params.fftSize;
    std::int64_t made = 0;
    std::int64_t i = 0;
    while (i < n) {
        const std::int64_t target = m_columns * m_params.hop + size;  // padded samples the next column needs
        const std::int64_t k = std::min(target - m_pushed, n - i);
        for (std::int64_t j = 0; j < k;) {
            const std::int64_t pos = (m_pushed + j) % size;
            const std::int64_t run = std::min(k - j, size - pos);
            std::copy_n(mono + i + j, run, m_ring.begin() + pos);
            j += run;
        }
        m_pushed += k;
        m_samples += k;
        i += k;
        if (m_pushed == target) {
            computeColumn();
            ++made;
        }
    }
    return made;
}

std::int64_t MelSpectrogram::finish() {
    if (m_finished) return 0;
    m_finished = true;
    if (m_samples == 0) return 0;
    const std::int64_t size = m_params.fftSize;
    const std::int64_t wanted = 1 + m_samples / m_params.hop;
    std::int64_t made = 0;
    while (m_columns < wanted) {
        const std::int64_t target = m_columns * m_params.hop + size;
        for (; m_pushed < target; ++m_pushed) m_ring[std::size_t(m_pushed % size)] = 0.0f;
        computeColumn();
        ++made;
    }
    return made;
}

void MelSpectrogram::computeColumn() {
    const int n = m_params.fftSize;
    const std::size_t oldest = std::size_t(m_pushed % n);  // the ring holds exactly the window's samples
    float* in = m_fft->in;
    for (std::size_t j = 0; j < std::size_t(n); ++j) in[j] = m_ring[(oldest + j) % std::size_t(n)] * m_window[j];
    fftwf_execute(m_fft->plan);
    // 2/Σw: a full-scale sine on a bin has magnitude 1 (Σw = n/2 for periodic Hann).
    const float scale = 4.0f / float(n);
    const float scale2 = scale * scale;
    for (std::size_t k = 0; k < m_power.size(); ++k) {
        const float re = m_fft->out[k][0], im = m_fft->out[k][1];
        m_power[k] = (re * re + im * im) * scale2;
    }
    for (std::size_t b = 0; b < m_filters.size(); ++b) {
        const Filter& f = m_filters[b];
        double e = 0;
        for (std::size_t j = 0; j < f.weights.size(); ++j)
            e += double(f.weights[j]) * m_power[std::size_t(f.firstBin) + j];
        if (!(e > kAminPower)) e = kAminPower;  // also NaN from NaN samples
        m_scratch[b] = quantise(float(10.0 * std::log10(e)));
    }
    addColumn(m_scratch.data());
    ++m_columns;
}

void MelSpectrogram::addColumn(const std::uint16_t* q) {
    Level& l = m_levels[std::size_t(m_finest)];
    for (std::size_t b = 0; b < l.partial.size(); ++b) l.partial[b] = std::max(l.partial[b], q[b]);
    if (++l.partialColumns == l.columns) completePartial(m_finest);
    enforceBudget();
}

void MelSpectrogram::completePartial(int level) {
    const std::size_t bands = std::size_t(m_params.melBands);
    for (;;) {
        {
            Level& l = m_levels[std::size_t(level)];
            l.groups.insert(l.groups.end(), l.partial.begin(), l.partial.end());
            if (level + 1 >= kMaxLevels) {
                std::fill(l.partial.begin(), l.partial.end(), std::uint16_t(0));
                l.partialColumns = 0;
                return;
            }
            if (level + 1 >= levelCount()) {
                Level next;
                next.columns = l.columns * kFactor;
                next.partial.assign(bands, 0);
                m_levels.push_back(std::move(next));  // invalidates `l`
            }
        }
        Level& cur = m_levels[std::size_t(level)];
        Level& up = m_levels[std::size_t(level) + 1];
        for (std::size_t b = 0; b < bands; ++b) up.partial[b] = std::max(up.partial[b], cur.partial[b]);
        up.partialColumns += cur.columns;
        std::fill(cur.partial.begin(), cur.partial.end(), std::uint16_t(0));
        cur.partialColumns = 0;
        if (up.partialColumns < up.columns) return;
        ++level;
    }
}

void MelSpectrogram::enforceBudget() {
    if (m_params.maxBytes == 0) return;
    while (memoryBytes() > m_params.maxBytes && m_finest + 1 < levelCount()) {
        Level& drop = m_levels[std::size_t(m_finest)];
        Level& up = m_levels[std::size_t(m_finest) + 1];
        for (std::size_t b = 0; b < up.partial.size(); ++b) up.partial[b] = std::max(up.partial[b], drop.partial[b]);
        up.partialColumns += drop.partialColumns;
        std::vector<std::uint16_t>().swap(drop.groups);
        std::fill(drop.partial.begin(), drop.partial.end(), std::uint16_t(0));
        drop.partialColumns = 0;
        ++m_finest;
    }
}

std::int64_t MelSpectrogram::groupColumns(int level) const {
    std::int64_t g = 1;
    for (int i = 0; i < level; ++i) g *= kFactor;
    return g;
}

std::int64_t MelSpectrogram::groupCount(int level) const {
    if (level < m_finest || level >= levelCount()) return 0;
    return std::int64_t(m_levels[std::size_t(level)].groups.size()) / m_params.melBands;
}

std::size_t MelSpectrogram::memoryBytes() const {
    std::size_t bytes = 0;
    for (const Level& l : m_levels) bytes += l.groups.size() * sizeof(std::uint16_t);
    return bytes;
}

bool MelSpectrogram::columnMax(std::int64_t first, std::int64_t last, std::span<std::uint16_t> out) const {
    const std::size_t bands = std::min(out.size(), std::size_t(m_params.melBands));
    std::fill(out.begin(), out.end(), std::uint16_t(0));
    first = std::max<std::int64_t>(0, first);
    last = std::min(last, m_columns);
    if (first >= last) return false;
    const Level& finest = m_levels[std::size_t(m_finest)];
    std::int64_t lo = first / finest.columns;
    std::int64_t hi = (last + finest.columns - 1) / finest.columns;
    const std::int64_t complete = groupCount(m_finest);
    if (hi > complete) {
        // Columns after the last complete group are all in the partial one.
        for (std::size_t b = 0; b < bands; ++b) out[b] = std::max(out[b], finest.partial[b]);
        hi = complete;
    }
    auto take = [&](int level, std::int64_t index) {
        const std::uint16_t* g = m_levels[std::size_t(level)].groups.data() + std::size_t(index * m_params.melBands);
        for (std::size_t b = 0; b < bands; ++b) out[b] = std::max(out[b], g[b]);
    };
    int level = m_finest;
    while (lo < hi) {
        if (level + 1 >= levelCount()) {
            for (std::int64_t i = lo; i < hi; ++i) take(level, i);
            break;
        }
        while (lo < hi && lo % kFactor != 0) take(level, lo++);
        while (lo < hi && hi % kFactor != 0) take(level, --hi);
        lo /= kFactor;
        hi /= kFactor;
        ++level;
    }
    return true;
}

bool MelSpectrogram::column(std::int64_t i, std::span<float> outDb) const {
    std::vector<std::uint16_t> q(static_cast<std::size_t>(m_params.melBands));
    const bool ok = columnMax(i, i + 1, q);
    const std::size_t n = std::min(outDb.size(), q.size());
    for (std::size_t b = 0; b < n; ++b) outDb[b] = toDb(q[b]);
    return ok;
}

std::vector<float> MelSpectrogram::column(std::int64_t i) const {
    std::vector<float> out(std::size_t(m_params.melBands), kFloorDb);
    column(i, out);
    return out;
}

double MelSpectrogram::bandCentreHz(int band) const {
    if (band < 0 || band >= m_params.melBands) return 0.0;
    return m_melPoints[std::size_t(band) + 1];
}

int MelSpectrogram::bandForHz(double hz) const {
    int best = 0;
    for (int b = 1; b < m_params.melBands; ++b)
        if (std::abs(bandCentreHz(b) - hz) < std::abs(bandCentreHz(best) - hz)) best = b;
    return best;
}

}  // namespace latent
