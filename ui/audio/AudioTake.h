#pragma once
// One generated sound as it streams in: a growable buffer of interleaved
// float samples at one rate and channel count. Blocks are placed by their
// startFrame, so they may arrive in any order or overlap (a later block
// overwrites); what has not arrived reads as silence. Thread-safe: the
// engine side appends while a player reads (every call locks one mutex, held
// only for a copy). Storage grows in fixed pages, so appending never moves
// the samples already there and a reader never waits behind a reallocation.
//
//   auto take = std::make_shared<AudioTake>(block.sampleRateHz, block.channels);
//   take->append(block);            // as each block arrives
//   take->finish();                 // when the job ends (final block or not)
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace latent {

struct AudioBlock;

class AudioTake {
public:
    // The longest take accepted (frames at the take's rate): four hours.
    static constexpr qint64 kMaxSeconds = 4 * 3600;

    AudioTake(int sampleRateHz, int channels);

    int sampleRateHz() const noexcept { return m_sampleRateHz; }
    int channels() const noexcept { return m_channels; }
    bool isValid() const noexcept { return m_sampleRateHz > 0 && m_channels > 0; }

    // Places the block at block.startFrame. Refuses (returns false, with
    // lastError()) a block at another rate or channel count, a negative start,
    // or one reaching past kMaxSeconds. A final block marks the end of the
    // stream; block.totalFrames, when known, the announced length.
    bool append(const AudioBlock& block);
    // Places raw interleaved samples (tests, imports): same rules as append.
    bool appendSamples(qint64 startFrame, const float* samples, qint64 frameCount, bool final = false);
    // No more blocks will come (the job ended or was cancelled); holes stay silent.
    void finish();

    // One past the last frame that has arrived (the take's extent so far).
    qint64 frames() const;
    // Frames from 0 with no hole: what can play straight through.
    qint64 contiguousFrames() const;
    // The end of the arrived run containing `frame` (== frame when it has not arrived).
    qint64 availableFrom(qint64 frame) const;
    // The announced total (block.totalFrames), -1 while unknown.
    qint64 totalFrames() const;
    // True once finish() was called, or a final block arrived and every frame
    // before the end has arrived too.
    bool finished() const;
    double durationSeconds() const;
    int blockCount() const;
    QString lastError() const;

    // Copies `count` frames from `frame` into `out` (count × channels floats;
    // what has not arrived is written as 0). Returns how many frames from
    // `frame` on had arrived without a hole (0 when `frame` itself had not).
    qint64 read(qint64 frame, qint64 count, float* out) const;
    // Every frame arrived so far (frames() × channels floats, holes as 0): a copy.
    std::vector<float> readAll() const;
    // The largest |sample| over frames [from, to), all channels.
    float peak(qint64 from, qint64 to) const;

    // steady_clock time of the first block appended (ns since its epoch), 0 before.
    std::int64_t firstAppendNs() const;

private:
    static constexpr qint64 kPageFrames = 1 << 14;
    bool placeLocked(qint64 startFrame, const float* samples, qint64 frameCount, bool final, qint64 total);
    void coverLocked(qint64 begin, qint64 end);
    bool finishedLocked() const;
    qint64 availableFromLocked(qint64 frame) const;
    void copyLocked(qint64 frame, qint64 count, float* out) const;

    const int m_sampleRateHz;
    const int m_channels;
    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<float[]>> m_pages;  // kPageFrames × channels each, zero-filled
    std::map<qint64, qint64> m_covered;             // arrived runs [begin, end), merged, disjoint
    qint64 m_extent = 0;
    qint64 m_total = -1;
    bool m_finalSeen = false;
    bool m_finishCalled = false;
    int m_blocks = 0;
    std::int64_t m_firstAppendNs = 0;
    QString m_lastError;
};

}  // namespace latent
