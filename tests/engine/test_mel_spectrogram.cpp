// MelSpectrogram against a NumPy reference of the same analysis (centred
// frames, periodic Hann scaled by 2/Σw, Slaney-scale unit-peak triangles, dB
// clamped to [−80, +20]), plus its streaming and storage behaviour.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/media/MelSpectrogram.h"

using latent::MelSpectrogram;
namespace fs = std::filesystem;

namespace {

// The reference, written out and run by the tests (python3-numpy).
constexpr const char* kReference = R"PY(
import sys
import numpy as np

src, dst = sys.argv[1], sys.argv[2]
sr, n_fft, hop, n_mels = (int(v) for v in sys.argv[3:7])
fmin, fmax = float(sys.argv[7]), float(sys.argv[8])
x = np.fromfile(src, dtype=np.float32).astype(np.float64)

def hz_to_mel(f):
    f = np.asanyarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-9) / min_log_hz) / logstep, mels)

def mel_to_hz(m):
    m = np.asanyarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)

pad = n_fft // 2
xp = np.pad(x, (pad, pad))
n_frames = 1 + len(x) // hop
idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
spec = np.fft.rfft(xp[idx] * win, axis=1) * (2.0 / win.sum())
power = np.abs(spec) ** 2

freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
fdiff = np.diff(mel_f)
ramps = mel_f[:, None] - freqs[None, :]
lower = -ramps[:-2] / fdiff[:-1, None]
upper = ramps[2:] / fdiff[1:, None]
weights = np.maximum(0, np.minimum(lower, upper))

db = 10 * np.log10(np.maximum(power @ weights.T, 1e-10))
np.clip(db, -80.0, 20.0).astype(np.float32).tofile(dst)
)PY";

// Chirp + two tones + a little noise: energy in many bands, few at the floor.
std::vector<float> testSignal(int sampleRate, double seconds, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-0.01f, 0.01f);
    const auto n = std::size_t(seconds * sampleRate);
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / sampleRate;
        const double chirp = 0.4 * std::sin(2 * std::numbers::pi * (100.0 * t + 0.5 * 4000.0 * t * t / seconds));
        x[i] = float(chirp + 0.2 * std::sin(2 * std::numbers::pi * 440.0 * t) +
                     0.05 * std::sin(2 * std::numbers::pi * 6000.0 * t) + noise(rng));
    }
    return x;
}

std::vector<float> allColumns(const MelSpectrogram& mel) {
    std::vector<float> out;
    for (std::int64_t i = 0; i < mel.columns(); ++i) {
        const auto c = mel.column(i);
        out.insert(out.end(), c.begin(), c.end());
    }
    return out;
}

std::vector<float> numpyReference(const std::vector<float>& x, const MelSpectrogram::Params& p) {
    latent::test::TempDir dir;
    const fs::path script = dir.path() / "mel_reference.py", in = dir.path() / "in.f32", out = dir.path() / "out.f32";
    std::ofstream(script) << kReference;
    std::ofstream(in, std::ios::binary)
        .write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * sizeof(float)));
    const std::string cmd = std::string(LATENT_REFERENCE_PYTHON) + " " + script.string() + " " + in.string() + " " +
                            out.string() + " " + std::to_string(p.sampleRateHz) + " " + std::to_string(p.fftSize) +
                            " " + std::to_string(p.hop) + " " + std::to_string(p.melBands) + " " +
                            std::to_string(p.fMinHz) + " " + std::to_string(p.fMaxHz);
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "the NumPy reference needs python3-numpy: " << cmd;
    std::ifstream f(out, std::ios::binary);
    std::vector<float> ref;
    float v = 0;
    while (f.read(reinterpret_cast<char*>(&v), sizeof v)) ref.push_back(v);
    return ref;
}

void expectMatchesReference(const MelSpectrogram::Params& params, double seconds) {
    if (std::string(LATENT_REFERENCE_PYTHON).empty()) GTEST_SKIP() << "no /usr/bin/python3";
    const std::vector<float> x = testSignal(params.sampleRateHz, seconds, 1);
    MelSpectrogram mel(params);
    mel.append(x.data(), std::int64_t(x.size()));
    mel.finish();
    ASSERT_EQ(mel.columns(), 1 + std::int64_t(x.size()) / params.hop);
    const std::vector<float> got = allColumns(mel);
    const std::vector<float> want = numpyReference(x, mel.params());
    ASSERT_EQ(got.size(), want.size());
    double worst = 0;
    std::size_t worstAt = 0, atFloor = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double d = std::abs(double(got[i]) - double(want[i]));
        if (d > worst) worst = d, worstAt = i;
        if (want[i] <= MelSpectrogram::kFloorDb) ++atFloor;
    }
    ::testing::Test::RecordProperty("worst_db_difference", std::to_string(worst));
    EXPECT_LT(worst, 0.05) << "column " << worstAt / std::size_t(params.melBands) << " band "
                           << worstAt % std::size_t(params.melBands) << ": " << got[worstAt] << " vs " << want[worstAt];
    EXPECT_LT(atFloor, got.size() / 10) << "the signal should exercise most bands above the floor";
}

MelSpectrogram::Params params48k() {
    MelSpectrogram::Params p;
    p.sampleRateHz = 48000;
    return p;
}

}  // namespace

TEST(MelSpectrogram, MatchesNumpyReferenceDefaults) { expectMatchesReference(params48k(), 1.0); }

TEST(MelSpectrogram, MatchesNumpyReferenceOtherShape) {
    MelSpectrogram::Params p;
    p.sampleRateHz = 16000;
    p.fftSize = 400;  // not a power of two
    p.hop = 160;
    p.melBands = 40;
    p.fMinHz = 50;
    p.fMaxHz = 7600;
    expectMatchesReference(p, 1.5);
}

TEST(MelSpectrogram, SineIsLoudestInItsBand) {
    const MelSpectrogram::Params p = params48k();
    MelSpectrogram mel(p);
    std::vector<float> x(std::size_t(p.sampleRateHz / 2));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(std::sin(2 * std::numbers::pi * 1000.0 * double(i) / p.sampleRateHz));
    mel.append(x.data(), std::int64_t(x.size()));
    ASSERT_GT(mel.columns(), 20);
    const int band = mel.bandForHz(1000.0);
    // The band containing 1 kHz: its triangle spans it and peaks nearest to it.
    EXPECT_LT(mel.bandCentreHz(band - 1), 1000.0);
    EXPECT_GT(mel.bandCentreHz(band + 1), 1000.0);
    for (std::int64_t c = 4; c < mel.columns() - 4; c += 5) {
        const auto db = mel.column(c);
        const auto loudest = int(std::max_element(db.begin(), db.end()) - db.begin());
        EXPECT_EQ(loudest, band) << "column " << c;
        // Full scale reads about 0 dB (scalloping and the triangle's slope cost a little).
        EXPECT_GT(db[std::size_t(band)], -4.0f);
        EXPECT_LT(db[std::size_t(band)], 3.0f);
        EXPECT_LT(db[std::size_t(band) + 10], db[std::size_t(band)] - 40.0f);
    }
}

TEST(MelSpectrogram, StreamingInOddBlocksEqualsOneShot) {
    const MelSpectrogram::Params p = params48k();
    const std::vector<float> x = testSignal(p.sampleRateHz, 0.7, 2);
    MelSpectrogram oneShot(p), streamed(p);
    oneShot.append(x.data(), std::int64_t(x.size()));
    std::mt19937 rng(3);
    const int sizes[] = {1, 3, 7, 255, 256, 257, 1023, 1024, 1025, 4097};
    std::int64_t emitted = 0;
    for (std::size_t i = 0; i < x.size();) {
        const auto n = std::min<std::size_t>(std::size_t(sizes[rng() % std::size(sizes)]), x.size() - i);
        emitted += streamed.append(x.data() + i, std::int64_t(n));
        i += n;
        // Columns appear as soon as their window is full: centre + fftSize/2 samples.
        EXPECT_EQ(streamed.columns(), std::int64_t(i) >= p.fftSize / 2
                                          ? (std::int64_t(i) - p.fftSize / 2) / p.hop + 1
                                          : 0);
    }
    EXPECT_EQ(emitted, streamed.columns());
    EXPECT_EQ(oneShot.columns(), streamed.columns());
    EXPECT_EQ(oneShot.finish(), streamed.finish());
    EXPECT_EQ(streamed.columns(), 1 + std::int64_t(x.size()) / p.hop);
    EXPECT_EQ(allColumns(oneShot), allColumns(streamed));
    EXPECT_THROW(streamed.append(x.data(), 1), latent::Error);
    streamed.reset();
    EXPECT_EQ(streamed.columns(), 0);
    EXPECT_FALSE(streamed.finished());
}

TEST(MelSpectrogram, BudgetKeepsAPyramidOfMaxima) {
    MelSpectrogram::Params p = params48k();
    p.melBands = 16;
    const std::vector<float> x = testSignal(p.sampleRateHz, 3.0, 4);
    MelSpectrogram::Params bounded = p;
    bounded.maxBytes = 4096;  // full resolution would be 563 columns × 32 bytes
    p.maxBytes = 0;
    MelSpectrogram full(p), small(bounded);
    full.append(x.data(), std::int64_t(x.size()));
    small.append(x.data(), std::int64_t(x.size()));
    ASSERT_EQ(full.columns(), small.columns());
    EXPECT_EQ(full.finestLevel(), 0);
    EXPECT_GT(small.finestLevel(), 0);
    EXPECT_LE(small.memoryBytes(), bounded.maxBytes);
    const std::int64_t g = small.groupColumns(small.finestLevel());
    std::vector<std::uint16_t> a(16), b(16);
    std::mt19937 rng(5);
    for (int k = 0; k < 500; ++k) {
        const std::int64_t first = std::int64_t(rng() % std::uint32_t(full.columns()));
        const std::int64_t last = first + 1 + std::int64_t(rng() % 200);
        ASSERT_TRUE(small.columnMax(first, last, a));
        // The bounded one answers over whole groups of its finest level.
        full.columnMax(first / g * g, (last + g - 1) / g * g, b);
        ASSERT_EQ(a, b) << first << ".." << last;
    }
    // Unbounded, a coarse span is the maximum of its columns.
    full.columnMax(10, 50, a);
    std::vector<float> maxDb(16, MelSpectrogram::kFloorDb);
    for (std::int64_t c = 10; c < 50; ++c) {
        const auto col = full.column(c);
        for (std::size_t i = 0; i < 16; ++i) maxDb[i] = std::max(maxDb[i], col[i]);
    }
    for (std::size_t i = 0; i < 16; ++i) EXPECT_FLOAT_EQ(MelSpectrogram::toDb(a[i]), maxDb[i]);
}

TEST(MelSpectrogram, QuantisationAndLimits) {
    EXPECT_EQ(MelSpectrogram::quantise(-200.0f), 0);
    EXPECT_EQ(MelSpectrogram::quantise(50.0f), 65535);
    for (float db : {-80.0f, -61.3f, -0.02f, 0.0f, 12.5f, 20.0f})
        EXPECT_NEAR(MelSpectrogram::toDb(MelSpectrogram::quantise(db)), db, 0.001);
    // Silence sits on the floor.
    MelSpectrogram mel(params48k());
    const std::vector<float> zeros(4800, 0.0f);
    mel.append(zeros.data(), std::int64_t(zeros.size()));
    for (float v : mel.column(3)) EXPECT_EQ(v, MelSpectrogram::kFloorDb);
    std::vector<float> out(80);
    EXPECT_FALSE(mel.column(mel.columns(), out));
    EXPECT_EQ(out[0], MelSpectrogram::kFloorDb);
}

TEST(MelSpectrogram, RejectsBadParameters) {
    MelSpectrogram::Params p = params48k();
    p.fftSize = 1023;
    EXPECT_THROW(MelSpectrogram{p}, latent::Error);
    p = params48k();
    p.hop = 0;
    EXPECT_THROW(MelSpectrogram{p}, latent::Error);
    p = params48k();
    p.fMaxHz = 30000;
    EXPECT_THROW(MelSpectrogram{p}, latent::Error);
    p = params48k();
    p.sampleRateHz = 0;
    EXPECT_THROW(MelSpectrogram{p}, latent::Error);
}

TEST(MelSpectrogram, PlansFromManyThreads) {
    // FFTW's planner is guarded by one process-wide lock.
    std::vector<std::thread> threads;
    std::vector<std::int64_t> columns(4, 0);
    for (std::size_t t = 0; t < columns.size(); ++t)
        threads.emplace_back([t, &columns] {
            MelSpectrogram::Params p;
            p.sampleRateHz = 16000;
            const std::vector<float> x(1600, 0.1f);
            for (int i = 0; i < 50; ++i) {
                p.fftSize = 256 + 2 * i;
                MelSpectrogram mel(p);
                mel.append(x.data(), std::int64_t(x.size()));
                columns[t] += mel.columns();
            }
        });
    for (auto& th : threads) th.join();
    for (std::int64_t c : columns) EXPECT_EQ(c, columns[0]);
}
