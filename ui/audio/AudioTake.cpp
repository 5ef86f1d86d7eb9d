#include "audio/AudioTake.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "latent/Chunk.h"

namespace latent {

namespace {
std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
QString tr(const char* text) { return QCoreApplication::translate("latent::AudioTake", text); }
}  // namespace

AudioTake::AudioTake(int sampleRateHz, int channels)
    : m_sampleRateHz(std::max(0, sampleRateHz)), m_channels(std::max(0, channels)) {}

bool AudioTake::append(const AudioBlock& block) {
    std::lock_guard lock(m_mutex);
    if (block.sampleRateHz != m_sampleRateHz || block.channels != m_channels) {
        m_lastError = tr("An audio block at %1 Hz, %2 channel(s) does not fit a take at %3 Hz, %4 channel(s)")
                          .arg(block.sampleRateHz)
                          .arg(block.channels)
                          .arg(m_sampleRateHz)
                          .arg(m_channels);
        return false;
    }
    const float* data = block.samples ? block.samples->data() : nullptr;
    return placeLocked(block.startFrame, data, block.frameCount(), block.final, block.totalFrames);
}

bool AudioTake::appendSamples(qint64 startFrame, const float* samples, qint64 frameCount, bool final) {
    std::lock_guard lock(m_mutex);
    return placeLocked(startFrame, samples, frameCount, final, -1);
}

bool AudioTake::placeLocked(qint64 startFrame, const float* samples, qint64 frameCount, bool final, qint64 total) {
    if (!isValid()) {
        m_lastError = tr("The take has no sample rate or channel count");
        return false;
    }
    const qint64 maxFrames = kMaxSeconds * m_sampleRateHz;
    if (startFrame < 0 || frameCount < 0 || startFrame > maxFrames - frameCount) {
        m_lastError = tr("An audio block at frame %1 (%2 frames) lies outside the take (at most %3 hours)")
                          .arg(startFrame)
                          .arg(frameCount)
                          .arg(kMaxSeconds / 3600);
        return false;
    }
    if (m_firstAppendNs == 0) m_firstAppendNs = steadyNowNs();
    ++m_blocks;
    if (total >= 0) m_total = std::min(total, maxFrames);
    if (final) m_finalSeen = true;
    if (frameCount == 0 || !samples) return true;

    const qint64 end = startFrame + frameCount;
    const auto pagesNeeded = std::size_t((end + kPageFrames - 1) / kPageFrames);
    if (m_pages.size() < pagesNeeded) m_pages.resize(pagesNeeded);
    const auto pageFloats = std::size_t(kPageFrames) * std::size_t(m_channels);
    for (qint64 f = startFrame; f < end;) {
        const auto page = std::size_t(f / kPageFrames);
        const qint64 inPage = f % kPageFrames;
        const qint64 n = std::min(end - f, kPageFrames - inPage);
        if (!m_pages[page]) m_pages[page] = std::make_unique<float[]>(pageFloats);  // value-initialised: silence
        std::memcpy(m_pages[page].get() + inPage * m_channels, samples + (f - startFrame) * m_channels,
                    std::size_t(n) * std::size_t(m_channels) * sizeof(float));
        f += n;
    }
    coverLocked(startFrame, end);
    m_extent = std::max(m_extent, end);
    return true;
}

void AudioTake::coverLocked(qint64 begin, qint64 end) {
    // Merge [begin, end) with every run it touches.
    auto it = m_covered.upper_bound(begin);
    if (it != m_covered.begin()) {
        auto prev = std::prev(it);
        if (prev->second >= begin) {
            begin = prev->first;
            end = std::max(end, prev->second);
            it = m_covered.erase(prev);
        }
    }
    while (it != m_covered.end() && it->first <= end) {
        end = std::max(end, it->second);
        it = m_covered.erase(it);
    }
    m_covered.emplace(begin, end);
}

void AudioTake::finish() {
    std::lock_guard lock(m_mutex);
    m_finishCalled = true;
}

qint64 AudioTake::frames() const {
    std::lock_guard lock(m_mutex);
    return m_extent;
}

qint64 AudioTake::contiguousFrames() const {
    std::lock_guard lock(m_mutex);
    return availableFromLocked(0);
}

qint64 AudioTake::availableFrom(qint64 frame) const {
    std::lock_guard lock(m_mutex);
    return availableFromLocked(frame);
}

qint64 AudioTake::availableFromLocked(qint64 frame) const {
    auto it = m_covered.upper_bound(frame);
    if (it == m_covered.begin()) return frame;
    --it;
    return it->second > frame ? it->second : frame;
}

qint64 AudioTake::totalFrames() const {
    std::lock_guard lock(m_mutex);
    return m_total;
}

bool AudioTake::finished() const {
    std::lock_guard lock(m_mutex);
    return finishedLocked();
}

bool AudioTake::finishedLocked() const {
    if (m_finishCalled) return true;
    if (!m_finalSeen) return false;
    const qint64 end = std::max(m_extent, m_total);
    return availableFromLocked(0) >= end;
}

double AudioTake::durationSeconds() const {
    return m_sampleRateHz > 0 ? double(frames()) / m_sampleRateHz : 0.0;
}

int AudioTake::blockCount() const {
    std::lock_guard lock(m_mutex);
    return m_blocks;
}

QString AudioTake::lastError() const {
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

qint64 AudioTake::read(qint64 frame, qint64 count, float* out) const {
    if (count <= 0 || !out || m_channels <= 0) return 0;
    std::lock_guard lock(m_mutex);
    copyLocked(frame, count, out);
    if (frame < 0) return 0;
    return std::min(count, availableFromLocked(frame) - frame);
}

void AudioTake::copyLocked(qint64 frame, qint64 count, float* out) const {
    const auto ch = std::size_t(m_channels);
    for (qint64 f = frame, done = 0; done < count;) {
        float* dst = out + std::size_t(done) * ch;
        if (f < 0) {  // before the take: silence up to frame 0
            const qint64 n = std::min(count - done, -f);
            std::fill_n(dst, std::size_t(n) * ch, 0.0f);
            f += n;
            done += n;
            continue;
        }
        const auto page = std::size_t(f / kPageFrames);
        const qint64 inPage = f % kPageFrames;
        const qint64 n = std::min(count - done, kPageFrames - inPage);
        if (page < m_pages.size() && m_pages[page])
            std::memcpy(dst, m_pages[page].get() + inPage * m_channels, std::size_t(n) * ch * sizeof(float));
        else
            std::fill_n(dst, std::size_t(n) * ch, 0.0f);
        f += n;
        done += n;
    }
}

std::vector<float> AudioTake::readAll() const {
    // One lock for the extent and the copy: a block landing between them
    // cannot make the copy shorter than the buffer.
    std::lock_guard lock(m_mutex);
    std::vector<float> out(static_cast<std::size_t>(m_extent * m_channels));
    if (m_channels > 0) copyLocked(0, m_extent, out.data());
    return out;
}

float AudioTake::peak(qint64 from, qint64 to) const {
    std::lock_guard lock(m_mutex);
    from = std::max<qint64>(0, from);
    to = std::min(to, m_extent);
    float p = 0.0f;
    for (qint64 f = from; f < to;) {
        const auto page = std::size_t(f / kPageFrames);
        const qint64 inPage = f % kPageFrames;
        const qint64 n = std::min(to - f, kPageFrames - inPage);
        if (page < m_pages.size() && m_pages[page]) {
            const float* s = m_pages[page].get() + inPage * m_channels;
            for (qint64 i = 0, e = n * m_channels; i < e; ++i) p = std::max(p, std::abs(s[i]));
        }
        f += n;
    }
    return p;
}

std::int64_t AudioTake::firstAppendNs() const {
    std::lock_guard lock(m_mutex);
    return m_firstAppendNs;
}

}  // namespace latent
