#include "latent/media/AudioPeaks.h"

#include <algorithm>
#include <limits>

#include "latent/Error.h"

namespace latent {

namespace {
constexpr AudioPeaks::Range kEmpty{std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest()};
}  // namespace

AudioPeaks::AudioPeaks(int channels, std::int64_t baseFrames, std::size_t maxBytes)
    : m_baseFrames(std::max<std::int64_t>(1, baseFrames)), m_maxBytes(maxBytes) {
    reset(channels);
}

void AudioPeaks::reset(int channels) {
    if (channels < 1) throw Error(ErrorKind::BadArgument, "audio peaks need at least one channel");
    m_channels = channels;
    m_frames = 0;
    m_finest = 0;
    m_levels.clear();
    Level base;
    base.frames = m_baseFrames;
    base.partial.assign(std::size_t(channels), kEmpty);
    m_levels.push_back(std::move(base));
}

void AudioPeaks::merge(Range& into, const Range& r) {
    if (r.min < into.min) into.min = r.min;
    if (r.max > into.max) into.max = r.max;
}

std::int64_t AudioPeaks::bucketFrames(int level) const {
    std::int64_t b = m_baseFrames;
    for (int i = 0; i < level; ++i) b *= kFactor;
    return b;
}

std::int64_t AudioPeaks::bucketCount(int level) const {
    if (level < m_finest || level >= levelCount()) return 0;
    return std::int64_t(m_levels[std::size_t(level)].buckets.size()) / m_channels;
}

AudioPeaks::Range AudioPeaks::bucket(int level, std::int64_t index, int channel) const {
    if (index < 0 || index >= bucketCount(level) || channel < 0 || channel >= m_channels) return {};
    return m_levels[std::size_t(level)].buckets[std::size_t(index * m_channels + channel)];
}

std::size_t AudioPeaks::memoryBytes() const {
    std::size_t bytes = 0;
    for (const Level& l : m_levels) bytes += l.buckets.size() * sizeof(Range);
    return bytes;
}

void AudioPeaks::completePartial(int level) {
    for (;;) {
        Level& l = m_levels[std::size_t(level)];
        l.buckets.insert(l.buckets.end(), l.partial.begin(), l.partial.end());
        if (level + 1 >= kMaxLevels) {
            std::fill(l.partial.begin(), l.partial.end(), kEmpty);
            l.partialFrames = 0;
            return;
        }
        if (level + 1 >= levelCount()) {
            Level next;
            next.frames = l.frames * kFactor;
            next.partial.assign(std::size_t(m_channels), kEmpty);
            m_levels.push_back(std::move(next));  // invalidates `l`
        }
        Level& cur = m_levels[std::size_t(level)];
        Level& up = m_levels[std::size_t(level) + 1];
        for (int c = 0; c < m_channels; ++c) merge(up.partial[std::size_t(c)], cur.partial[std::size_t(c)]);
        up.partialFrames += cur.frames;
        std::fill(cur.partial.begin(), cur.partial.end(), kEmpty);
        cur.partialFrames = 0;
        if (up.partialFrames < up.frames) return;
        ++level;
    }
}

void AudioPeaks::append(const float* interleaved, std::int64_t frames, int channels) {
    if (channels != m_channels)
        throw Error(ErrorKind::BadArgument, "audio block has " + std::to_string(channels) + " channels, peaks have " +
                                                std::to_string(m_channels));
    if (frames <= 0 || !interleaved) return;
    const std::size_t ch = std::size_t(channels);
    std::int64_t done = 0;
    while (done < frames) {
        Level& l = m_levels[std::size_t(m_finest)];
        const std::int64_t n = std::min(frames - done, l.frames - l.partialFrames);
        const float* p = interleaved + std::size_t(done) * ch;
        for (std::size_t c = 0; c < ch; ++c) {
            Range r = l.partial[c];
            for (std::int64_t i = 0; i < n; ++i) {
                const float v = p[std::size_t(i) * ch + c];
                // NaN compares false both ways and is skipped.
                if (v < r.min) r.min = v;
                if (v > r.max) r.max = v;
            }
            l.partial[c] = r;
        }
        l.partialFrames += n;
        done += n;
        m_frames += n;
        if (l.partialFrames == l.frames) completePartial(m_finest);
    }
    enforceBudget();
}

void AudioPeaks::enforceBudget() {
    if (m_maxBytes == 0) return;
    while (memoryBytes() > m_maxBytes && m_finest + 1 < levelCount()) {
        // The next level up already summarises every complete bucket; it only
        // lacks the finest level's partial bucket, which it takes over.
        Level& drop = m_levels[std::size_t(m_finest)];
        Level& up = m_levels[std::size_t(m_finest) + 1];
        for (int c = 0; c < m_channels; ++c) merge(up.partial[std::size_t(c)], drop.partial[std::size_t(c)]);
        up.partialFrames += drop.partialFrames;
        std::vector<Range>().swap(drop.buckets);
        std::fill(drop.partial.begin(), drop.partial.end(), kEmpty);
        drop.partialFrames = 0;
        ++m_finest;
    }
}

bool AudioPeaks::column(std::int64_t startFrame, std::int64_t endFrame, std::span<Range> out) const {
    const std::size_t ch = std::min(out.size(), std::size_t(m_channels));
    startFrame = std::max<std::int64_t>(0, startFrame);
    endFrame = std::min(endFrame, m_frames);
    if (startFrame >= endFrame) {
        std::fill(out.begin(), out.end(), Range{});
        return false;
    }
    std::fill(out.begin(), out.end(), kEmpty);
    const Level& finest = m_levels[std::size_t(m_finest)];
    std::int64_t lo = startFrame / finest.frames;
    std::int64_t hi = (endFrame + finest.frames - 1) / finest.frames;
    const std::int64_t complete = bucketCount(m_finest);
    if (hi > complete) {
        // Frames after the last complete bucket are all in the partial one.
        for (std::size_t c = 0; c < ch; ++c) merge(out[c], finest.partial[c]);
        hi = complete;
    }
    auto take = [&](int level, std::int64_t index) {
        const Range* b = m_levels[std::size_t(level)].buckets.data() + std::size_t(index * m_channels);
        for (std::size_t c = 0; c < ch; ++c) merge(out[c], b[c]);
    };
    // Walk up from the finest level: the unaligned ends are taken at this
    // level, the aligned middle is covered by the parents (every parent of an
    // aligned run of complete buckets is itself complete).
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
    for (std::size_t c = 0; c < ch; ++c)
        if (out[c].min > out[c].max) out[c] = Range{};  // only NaN samples in the span
    return true;
}

std::vector<AudioPeaks::Range> AudioPeaks::column(std::int64_t startFrame, std::int64_t endFrame) const {
    std::vector<Range> out(static_cast<std::size_t>(m_channels));
    column(startFrame, endFrame, out);
    return out;
}

}  // namespace latent
