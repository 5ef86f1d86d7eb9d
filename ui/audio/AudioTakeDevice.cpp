#include "audio/AudioTakeDevice.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "audio/AudioTake.h"

namespace latent {

namespace {
constexpr qint64 kNoLimit = std::numeric_limits<qint64>::max();
constexpr std::size_t kMaxSegments = 8192;
// What bytesAvailable() reports while streaming: the device never runs dry
// (it writes silence on underrun), so any amount the sink asks for is there.
constexpr qint64 kAlwaysAvailableBytes = qint64(1) << 20;

// A position within a millionth of a whole frame is that frame: steps like
// 16000/48000 are inexact in binary, and three of them must reach frame 1,
// not stop just short of it (which would play one frame past the end).
double snapToFrame(double pos) {
    const double whole = std::round(pos);
    return std::abs(pos - whole) < 1e-6 ? whole : pos;
}

std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

template <typename T>
void store(char*& dst, T value) {
    std::memcpy(dst, &value, sizeof(T));
    dst += sizeof(T);
}
}  // namespace

AudioTakeDevice::AudioTakeDevice(std::shared_ptr<AudioTake> take, const QAudioFormat& format, QObject* parent)
    : QIODevice(parent),
      m_take(std::move(take)),
      m_format(format),
      m_takeChannels(m_take ? std::max(1, m_take->channels()) : 1),
      m_outChannels(std::max(1, format.channelCount())),
      m_step(m_take && format.sampleRate() > 0 ? double(m_take->sampleRateHz()) / format.sampleRate() : 1.0) {}

bool AudioTakeDevice::open(OpenMode mode) { return QIODevice::open(mode | QIODevice::Unbuffered); }

void AudioTakeDevice::seekFrame(qint64 takeFrame) {
    std::lock_guard lock(m_mutex);
    m_pos = double(std::max<qint64>(0, takeFrame));
    m_ended = false;
    m_atLoopEnd = false;
}

double AudioTakeDevice::readPosition() const {
    std::lock_guard lock(m_mutex);
    return m_pos;
}

void AudioTakeDevice::setLoop(qint64 startFrame, qint64 endFrame) {
    std::lock_guard lock(m_mutex);
    m_loopStart = std::max<qint64>(0, startFrame);
    m_loopEnd = std::max<qint64>(0, endFrame);
    if (m_loopEnd <= m_loopStart) m_loopStart = m_loopEnd = 0;
    m_atLoopEnd = false;
}

void AudioTakeDevice::clearLoop() { setLoop(0, 0); }

void AudioTakeDevice::restartOutput() {
    std::lock_guard lock(m_mutex);
    m_outWritten = 0;
    m_timeline.clear();
    m_ended = false;
    m_firstRealReadNs = 0;  // the start latency is measured per sink start
}

qint64 AudioTakeDevice::outputFramesWritten() const {
    std::lock_guard lock(m_mutex);
    return m_outWritten;
}

double AudioTakeDevice::takeFrameAtOutput(qint64 outputFrame) const {
    std::lock_guard lock(m_mutex);
    if (m_timeline.empty()) return m_pos;
    outputFrame = std::clamp<qint64>(outputFrame, 0, m_outWritten);
    // The last segment starting at or before outputFrame.
    auto it = std::upper_bound(m_timeline.begin(), m_timeline.end(), outputFrame,
                               [](qint64 out, const Segment& s) { return out < s.outStart; });
    if (it == m_timeline.begin()) return m_timeline.front().takeStart;
    const Segment& s = *std::prev(it);
    return snapToFrame(s.takeStart + double(outputFrame - s.outStart) * s.step);
}

bool AudioTakeDevice::inUnderrun() const {
    std::lock_guard lock(m_mutex);
    return m_underrun;
}

bool AudioTakeDevice::ended() const {
    std::lock_guard lock(m_mutex);
    return m_ended;
}

std::int64_t AudioTakeDevice::firstRealReadNs() const {
    std::lock_guard lock(m_mutex);
    return m_firstRealReadNs;
}

void AudioTakeDevice::arm() {
    std::lock_guard lock(m_mutex);
    m_firstRealReadNs = 0;
}

qint64 AudioTakeDevice::bytesAvailable() const {
    return QIODevice::bytesAvailable() + (ended() ? 0 : kAlwaysAvailableBytes);
}

bool AudioTakeDevice::atEnd() const { return ended() && QIODevice::bytesAvailable() == 0; }

qint64 AudioTakeDevice::writeData(const char*, qint64) { return -1; }

void AudioTakeDevice::addSegmentLocked(qint64 outStart, double takeStart, double step) {
    if (!m_timeline.empty()) {
        Segment& last = m_timeline.back();
        const double predicted = last.takeStart + double(outStart - last.outStart) * last.step;
        if (last.step == step && std::abs(predicted - takeStart) < 1e-6) return;  // continues the last one
        if (last.outStart == outStart) {
            last = {outStart, takeStart, step};
            return;
        }
    }
    m_timeline.push_back({outStart, takeStart, step});
    while (m_timeline.size() > kMaxSegments) m_timeline.pop_front();
}

qint64 AudioTakeDevice::readData(char* data, qint64 maxSize) {
    const int bytesPerFrame = m_format.bytesPerFrame();
    if (!m_take || bytesPerFrame <= 0) return -1;
    const qint64 n = maxSize / bytesPerFrame;
    if (n <= 0) return 0;

    bool emitUnderrun = false;
    bool emitEnd = false;
    qint64 produced = 0;
    {
        std::lock_guard lock(m_mutex);
        const auto takeCh = std::size_t(m_takeChannels);
        m_outScratch.resize(std::size_t(n) * takeCh);
        while (produced < n) {
            const bool finished = m_take->finished();
            const qint64 extent = m_take->frames();
            // A loop acts once the read position is inside it (or before it);
            // in a finished take it ends at the take's end at the latest.
            const qint64 wrapAt = finished ? std::min(m_loopEnd, extent) : m_loopEnd;
            const bool loopOn = wrapAt > m_loopStart;
            const bool loopActive = loopOn && m_pos < double(m_loopEnd);
            if (loopOn && (m_atLoopEnd || (loopActive && m_pos >= double(wrapAt)))) {
                m_atLoopEnd = false;
                if (m_pos >= double(wrapAt))
                    m_pos = double(m_loopStart) + std::fmod(m_pos - double(m_loopStart), double(wrapAt - m_loopStart));
                continue;
            }
            m_atLoopEnd = false;
            if (finished && m_pos >= double(extent)) {
                emitEnd = !m_ended;
                m_ended = true;
                break;
            }
            const qint64 limit = loopActive ? wrapAt : (finished ? extent : kNoLimit);
            const qint64 want = n - produced;
            const auto i0 = qint64(std::floor(m_pos));
            qint64 fetch = qint64(std::floor(m_pos + double(want - 1) * m_step)) + 2 - i0;
            if (limit != kNoLimit) fetch = std::clamp<qint64>(fetch, 1, limit - i0 + 1);
            m_takeScratch.resize(std::size_t(fetch) * takeCh);
            qint64 avail = m_take->read(i0, fetch, m_takeScratch.data());
            // A finished take plays its holes as silence (read() wrote zeros there).
            if (finished) avail = std::max<qint64>(0, std::min(fetch, extent - i0));

            const qint64 runOut = m_outWritten + produced;
            const double runPos = m_pos;
            qint64 run = 0;
            for (; produced < n; ++produced, ++run) {
                // The position as a product, not a running sum, so it never
                // drifts from the timeline segment recorded for this run.
                const double pos = snapToFrame(runPos + double(run) * m_step);
                if (pos >= double(limit)) break;
                const auto i = qint64(std::floor(pos));
                const qint64 idx = i - i0;
                if (idx >= avail) break;
                const float* a = m_takeScratch.data() + std::size_t(idx) * takeCh;
                float* o = m_outScratch.data() + std::size_t(produced) * takeCh;
                const auto frac = float(pos - double(i));
                if (frac > 1e-6f && idx + 1 < avail) {
                    const float* b = a + takeCh;
                    for (std::size_t c = 0; c < takeCh; ++c) o[c] = a[c] + (b[c] - a[c]) * frac;
                } else if (frac > 1e-6f && i + 1 < limit) {
                    break;  // the next frame has not arrived yet
                } else {
                    std::copy_n(a, takeCh, o);  // on a frame, or holding the last one before an end
                }
            }
            m_pos = snapToFrame(runPos + double(run) * m_step);
            // Played up to the loop's end: wrap on the next pass (the
            // position may overshoot it by less than a step).
            if (loopActive && m_pos >= double(limit)) m_atLoopEnd = true;
            if (run > 0) {
                addSegmentLocked(runOut, runPos, m_step);
                if (m_firstRealReadNs == 0) m_firstRealReadNs = steadyNowNs();
                m_hadRealSamples = true;
                m_underrun = false;
                continue;
            }
            if (m_pos >= double(limit)) continue;  // at a loop boundary or the end: handled above
            // Underrun: nothing more has arrived. Hold the position, fill silence.
            if (m_hadRealSamples && !m_underrun) {
                m_underruns.fetch_add(1);
                emitUnderrun = true;
            }
            m_underrun = true;
            addSegmentLocked(runOut, m_pos, 0.0);
            std::fill(m_outScratch.begin() + std::ptrdiff_t(std::size_t(produced) * takeCh), m_outScratch.end(),
                      0.0f);
            produced = n;
        }
        writeOutput(m_outScratch.data(), produced, data);
        m_outWritten += produced;
    }
    if (emitUnderrun) Q_EMIT underrun();
    if (emitEnd) Q_EMIT reachedEnd();
    return produced * bytesPerFrame;
}

void AudioTakeDevice::writeOutput(const float* frames, qint64 count, char* dst) const {
    const QAudioFormat::SampleFormat fmt = m_format.sampleFormat();
    for (qint64 f = 0; f < count; ++f) {
        const float* s = frames + std::size_t(f) * std::size_t(m_takeChannels);
        for (int c = 0; c < m_outChannels; ++c) {
            float v;
            if (m_outChannels == m_takeChannels) {
                v = s[c];
            } else if (m_outChannels == 1) {  // down-mix to mono
                v = 0.0f;
                for (int k = 0; k < m_takeChannels; ++k) v += s[k];
                v /= float(m_takeChannels);
            } else if (m_takeChannels == 1) {  // mono on every channel
                v = s[0];
            } else {
                v = c < m_takeChannels ? s[c] : 0.0f;
            }
            v = std::clamp(v, -1.0f, 1.0f);
            switch (fmt) {
            case QAudioFormat::Float: store(dst, v); break;
            case QAudioFormat::Int16: store(dst, qint16(std::lrint(v * 32767.0f))); break;
            case QAudioFormat::Int32: store(dst, qint32(std::llrint(double(v) * 2147483647.0))); break;
            case QAudioFormat::UInt8: store(dst, quint8(std::lrint(128.0f + v * 127.0f))); break;
            default: store(dst, v); break;  // refused up front by AudioPlayer
            }
        }
    }
}

}  // namespace latent
