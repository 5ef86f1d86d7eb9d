// AudioPeaks: every bucket of every level, and every span column() answers,
// equal a brute-force min/max over the samples themselves.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/media/AudioPeaks.h"

using latent::AudioPeaks;

namespace {

struct Signal {
    int channels = 1;
    std::vector<float> samples;  // interleaved
    std::int64_t frames() const { return std::int64_t(samples.size()) / channels; }
};

Signal randomSignal(std::int64_t frames, int channels, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.0f, 0.3f);
    Signal s;
    s.channels = channels;
    s.samples.resize(std::size_t(frames * channels));
    for (std::int64_t f = 0; f < frames; ++f)
        for (int c = 0; c < channels; ++c) {
            // A slow envelope per channel, so buckets differ in scale too.
            const float env = 0.2f + 0.8f * float(std::abs(std::sin(double(f) * (c + 1) * 1e-4)));
            s.samples[std::size_t(f * channels + c)] = env * noise(rng);
        }
    return s;
}

// Appends in random block sizes, as a stream would.
void appendInBlocks(AudioPeaks& peaks, const Signal& s, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::int64_t> size(1, 3000);
    for (std::int64_t f = 0; f < s.frames();) {
        const std::int64_t n = std::min(size(rng), s.frames() - f);
        peaks.append(s.samples.data() + f * s.channels, n, s.channels);
        f += n;
    }
}

AudioPeaks::Range brute(const Signal& s, std::int64_t begin, std::int64_t end, int channel) {
    AudioPeaks::Range r{std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest()};
    for (std::int64_t f = std::max<std::int64_t>(0, begin); f < std::min(end, s.frames()); ++f) {
        const float v = s.samples[std::size_t(f * s.channels + channel)];
        r.min = std::min(r.min, v);
        r.max = std::max(r.max, v);
    }
    return r;
}

void expectEveryBucketExact(const AudioPeaks& peaks, const Signal& s) {
    for (int level = peaks.finestLevel(); level < peaks.levelCount(); ++level) {
        const std::int64_t b = peaks.bucketFrames(level);
        EXPECT_EQ(peaks.bucketCount(level), s.frames() / b) << "level " << level;
        for (std::int64_t i = 0; i < peaks.bucketCount(level); ++i)
            for (int c = 0; c < s.channels; ++c) {
                const AudioPeaks::Range want = brute(s, i * b, (i + 1) * b, c);
                const AudioPeaks::Range got = peaks.bucket(level, i, c);
                ASSERT_EQ(got.min, want.min) << "level " << level << " bucket " << i << " channel " << c;
                ASSERT_EQ(got.max, want.max) << "level " << level << " bucket " << i << " channel " << c;
            }
    }
}

void expectRandomSpansExact(const AudioPeaks& peaks, const Signal& s, std::uint32_t seed, int spans) {
    std::mt19937 rng(seed);
    const std::int64_t b = peaks.bucketFrames(peaks.finestLevel());
    std::uniform_int_distribution<std::int64_t> pos(0, s.frames() + 100);
    std::uniform_int_distribution<int> logLen(0, 17);
    std::vector<AudioPeaks::Range> out(std::size_t(s.channels));
    for (int k = 0; k < spans; ++k) {
        // Short spans as often as long ones: pixel columns of every zoom.
        const std::int64_t start = pos(rng);
        const std::int64_t len = std::int64_t(1) << logLen(rng);
        const std::int64_t end = start + std::uniform_int_distribution<std::int64_t>(1, len)(rng);
        const bool any = peaks.column(start, end, out);
        ASSERT_EQ(any, start < s.frames()) << start << ".." << end;
        if (!any) continue;
        // Widened to the finest kept bucket boundaries.
        const std::int64_t wideStart = start / b * b;
        const std::int64_t wideEnd = (end + b - 1) / b * b;
        for (int c = 0; c < s.channels; ++c) {
            const AudioPeaks::Range want = brute(s, wideStart, wideEnd, c);
            ASSERT_EQ(out[std::size_t(c)].min, want.min) << start << ".." << end << " channel " << c;
            ASSERT_EQ(out[std::size_t(c)].max, want.max) << start << ".." << end << " channel " << c;
        }
    }
}

}  // namespace

TEST(AudioPeaks, EveryLevelMatchesBruteForce) {
    // 64·4^5 = 65536: six full levels, plus a ragged tail.
    const Signal s = randomSignal(3 * 65536 + 12345, 2, 1);
    AudioPeaks peaks(2);
    appendInBlocks(peaks, s, 2);
    EXPECT_EQ(peaks.frames(), s.frames());
    EXPECT_EQ(peaks.finestLevel(), 0);
    EXPECT_GE(peaks.levelCount(), 7);
    expectEveryBucketExact(peaks, s);
}

TEST(AudioPeaks, RandomSpansMatchBruteForce) {
    const Signal s = randomSignal(2 * 65536 + 777, 2, 3);
    AudioPeaks peaks(2);
    appendInBlocks(peaks, s, 4);
    expectRandomSpansExact(peaks, s, 5, 3000);
    // The whole stream, and the tail that fills no bucket yet.
    const auto all = peaks.column(0, s.frames());
    EXPECT_EQ(all[0].min, brute(s, 0, s.frames(), 0).min);
    EXPECT_EQ(all[1].max, brute(s, 0, s.frames(), 1).max);
    const auto tail = peaks.column(s.frames() - 5, s.frames());
    EXPECT_EQ(tail[0].max, brute(s, s.frames() / 64 * 64, s.frames(), 0).max);
}

TEST(AudioPeaks, BlockSizesDoNotMatter) {
    const Signal s = randomSignal(100000, 1, 6);
    AudioPeaks oneShot(1), streamed(1);
    oneShot.append(s.samples.data(), s.frames(), 1);
    appendInBlocks(streamed, s, 7);
    ASSERT_EQ(oneShot.levelCount(), streamed.levelCount());
    for (int level = 0; level < oneShot.levelCount(); ++level) {
        ASSERT_EQ(oneShot.bucketCount(level), streamed.bucketCount(level));
        for (std::int64_t i = 0; i < oneShot.bucketCount(level); ++i) {
            EXPECT_EQ(oneShot.bucket(level, i, 0).min, streamed.bucket(level, i, 0).min);
            EXPECT_EQ(oneShot.bucket(level, i, 0).max, streamed.bucket(level, i, 0).max);
        }
    }
}

TEST(AudioPeaks, BudgetDropsFinestLevelsAndStaysExact) {
    const Signal s = randomSignal(300000, 2, 8);
    // Level 0 alone would need 300000/64 · 2 · 8 = 75 kB.
    const std::size_t budget = 24 * 1024;
    AudioPeaks peaks(2, 64, budget);
    appendInBlocks(peaks, s, 9);
    EXPECT_GT(peaks.finestLevel(), 0);
    EXPECT_LE(peaks.memoryBytes(), budget);
    EXPECT_EQ(peaks.bucketCount(0), 0);
    EXPECT_EQ(peaks.bucket(0, 0, 0).min, 0.0f);  // dropped levels answer nothing
    expectEveryBucketExact(peaks, s);
    expectRandomSpansExact(peaks, s, 10, 2000);
}

TEST(AudioPeaks, UnboundedKeepsEverything) {
    const Signal s = randomSignal(300000, 1, 11);
    AudioPeaks peaks(1, 64, 0);
    appendInBlocks(peaks, s, 12);
    EXPECT_EQ(peaks.finestLevel(), 0);
    // frames/64 · 8 bytes, ×4/3 at most for the coarser levels.
    EXPECT_GE(peaks.memoryBytes(), std::size_t(300000 / 64 * 8));
    EXPECT_LE(peaks.memoryBytes(), std::size_t(300000 / 64 * 8 * 4 / 3 + 64));
}

TEST(AudioPeaks, EmptySpansNaNsAndBadInput) {
    AudioPeaks peaks(1);
    std::vector<AudioPeaks::Range> out(1);
    EXPECT_FALSE(peaks.column(0, 100, out));
    EXPECT_EQ(out[0].min, 0.0f);
    const float samples[] = {0.5f, std::numeric_limits<float>::quiet_NaN(), -0.25f};
    peaks.append(samples, 3, 1);
    ASSERT_TRUE(peaks.column(0, 3, out));
    EXPECT_EQ(out[0].min, -0.25f);  // NaN is skipped
    EXPECT_EQ(out[0].max, 0.5f);
    EXPECT_FALSE(peaks.column(3, 10, out));
    EXPECT_FALSE(peaks.column(2, 2, out));
    EXPECT_THROW(peaks.append(samples, 1, 2), latent::Error);
    EXPECT_THROW(AudioPeaks(0), latent::Error);
    peaks.reset(2);
    EXPECT_EQ(peaks.frames(), 0);
    EXPECT_EQ(peaks.channels(), 2);
}
