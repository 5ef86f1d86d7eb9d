#pragma once
// A multi-resolution min/max summary of a sound (a "peak mipmap"), built
// block by block as audio streams in, from which a waveform of any length is
// drawn at a cost that depends on the view's width only.
//
//   AudioPeaks peaks(2);                      // stereo
//   peaks.append(block.data(), frames, 2);    // interleaved, any block size
//   AudioPeaks::Range lr[2];
//   peaks.column(startFrame, endFrame, lr);   // one pixel column: min/max per channel
//
// Level 0 holds one min/max pair per channel for every `baseFrames` frames
// (default 64); level k+1 merges kFactor (4) buckets of level k. column()
// answers a span from the coarsest buckets that lie inside it (a segment-tree
// walk: at most 2·(kFactor−1) buckets per level), so its answer is exact over
// the span widened to the finest kept bucket boundaries, in O(levels) time.
//
// Memory: 8 bytes per bucket per channel, ×4/3 for the coarser levels, i.e.
// about frames/64 × 8 × 4/3 bytes per channel: 1 minute of 48 kHz audio is
// 0.5 MB per channel, 2 hours 58 MB per channel. A byte budget (default
// kDefaultMaxBytes = 32 MiB) bounds it: when the levels outgrow it the
// finest level is dropped, and the next (4× coarser) becomes the finest. So
// 2 hours of 48 kHz stereo keeps 256-frame buckets (5.3 ms) in ~29 MB; a
// take of up to ~35 minutes of stereo (70 of mono) keeps full 64-frame detail.
// With baseFrames = 1 (what the audio views use) level 0 holds the samples
// themselves while they fit the budget — ~30 s of 48 kHz stereo, ~1 min of
// mono — and the same budget then coarsens to 4, 16, 64, 256 frames, so a
// 2-hour take ends where the default does. Work per frame is bounded too:
// the fine levels are only built while they are kept.
//
// Not thread-safe: one thread appends and reads (the GUI thread, in the app).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace latent {

class AudioPeaks {
public:
    struct Range {
        float min = 0.0f;
        float max = 0.0f;
    };

    static constexpr std::int64_t kDefaultBaseFrames = 64;
    static constexpr int kFactor = 4;
    static constexpr int kMaxLevels = 20;  // 4^19 frames per top bucket: far beyond any real file
    static constexpr std::size_t kDefaultMaxBytes = std::size_t(32) << 20;

    // `channels` ≥ 1, `baseFrames` ≥ 1; `maxBytes` 0 means unbounded.
    explicit AudioPeaks(int channels = 1, std::int64_t baseFrames = kDefaultBaseFrames,
                        std::size_t maxBytes = kDefaultMaxBytes);

    // Forgets everything; the next append starts at frame 0.
    void reset(int channels);

    // Appends `frames` interleaved frames of `channels` samples (must equal
    // channels(); throws latent::Error BadArgument otherwise).
    void append(const float* interleaved, std::int64_t frames, int channels);

    int channels() const { return m_channels; }
    std::int64_t frames() const { return m_frames; }
    std::int64_t baseFrames() const { return m_baseFrames; }

    // Levels finestLevel() … levelCount()−1 hold buckets; finer ones were
    // dropped to stay under the byte budget.
    int levelCount() const { return int(m_levels.size()); }
    int finestLevel() const { return m_finest; }
    std::int64_t bucketFrames(int level) const;
    // Complete buckets of `level` (0 for a dropped level).
    std::int64_t bucketCount(int level) const;
    // Bucket `index` of `level` for `channel`: frames [index·B, (index+1)·B).
    Range bucket(int level, std::int64_t index, int channel) const;

    // Min/max per channel over frames [startFrame, endFrame), clamped to what
    // has arrived, widened to the finest kept bucket boundaries. Writes
    // channels() ranges to `out`; returns false (and writes {0, 0}) when the
    // span holds no frames.
    bool column(std::int64_t startFrame, std::int64_t endFrame, std::span<Range> out) const;
    std::vector<Range> column(std::int64_t startFrame, std::int64_t endFrame) const;

    // Bytes held by the buckets (what the budget counts).
    std::size_t memoryBytes() const;

private:
    struct Level {
        std::vector<Range> buckets;  // bucketCount × channels, channel fastest
        std::vector<Range> partial;  // the bucket being filled, one per channel
        std::int64_t partialFrames = 0;
        std::int64_t frames = 0;  // frames per bucket
    };

    void completePartial(int level);
    void enforceBudget();
    static void merge(Range& into, const Range& r);

    int m_channels = 1;
    std::int64_t m_baseFrames = kDefaultBaseFrames;
    std::size_t m_maxBytes = kDefaultMaxBytes;
    std::int64_t m_frames = 0;
    int m_finest = 0;
    std::vector<Level> m_levels;
};

}  // namespace latent
