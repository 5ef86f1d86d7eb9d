#include "widgets/AudioViewRange.h"

#include <algorithm>

namespace latent {

AudioViewRange::AudioViewRange(QObject* parent) : QObject(parent) { refit(); }

void AudioViewRange::setSampleRate(int hz) {
    if (hz == m_sampleRateHz) return;
    m_sampleRateHz = hz;
    Q_EMIT sampleRateChanged(hz);
}

qint64 AudioViewRange::extentFrames() const { return std::max(m_totalFrames, m_expectedFrames); }

void AudioViewRange::setTotalFrames(qint64 frames) {
    frames = std::max<qint64>(0, frames);
    if (frames == m_totalFrames) return;
    m_totalFrames = frames;
    Q_EMIT extentChanged(m_totalFrames, m_expectedFrames);
    refit();
}

void AudioViewRange::setExpectedFrames(qint64 frames) {
    frames = frames < 0 ? -1 : frames;
    if (frames == m_expectedFrames) return;
    m_expectedFrames = frames;
    Q_EMIT extentChanged(m_totalFrames, m_expectedFrames);
    refit();
}

void AudioViewRange::applyVisible(double start, double end, bool fit) {
    m_fit = fit;
    if (start == m_visibleStart && end == m_visibleEnd) return;
    m_visibleStart = start;
    m_visibleEnd = end;
    Q_EMIT visibleRangeChanged(start, end);
}

void AudioViewRange::refit() {
    if (m_fit) applyVisible(0.0, double(std::max(extentFrames(), kMinVisibleFrames)), true);
}

void AudioViewRange::zoomToFit() {
    m_fit = true;
    refit();
}

void AudioViewRange::setVisibleRange(double start, double end) {
    if (end < start) std::swap(start, end);
    const double extent = double(extentFrames());
    const double span = std::max(end - start, double(kMinVisibleFrames));
    if (span >= extent) {
        zoomToFit();
        return;
    }
    start = std::clamp(start, 0.0, extent - span);
    applyVisible(start, start + span, false);
}

void AudioViewRange::zoomAround(double anchor, double factor) {
    if (!(factor > 0)) return;
    const double span = visibleFrames() / factor;
    const double start = anchor - (anchor - m_visibleStart) / factor;
    setVisibleRange(start, start + span);
}

void AudioViewRange::scrollBy(double frames) {
    if (m_fit) return;
    setVisibleRange(m_visibleStart + frames, m_visibleEnd + frames);
}

void AudioViewRange::setSelection(qint64 a, qint64 b) {
    const qint64 extent = extentFrames();
    a = std::clamp<qint64>(a, 0, extent);
    b = std::clamp<qint64>(b, 0, extent);
    if (b < a) std::swap(a, b);
    if (a == b) a = b = 0;
    if (a == m_selectionStart && b == m_selectionEnd) return;
    m_selectionStart = a;
    m_selectionEnd = b;
    Q_EMIT selectionChanged(a, b);
}

void AudioViewRange::clearSelection() { setSelection(0, 0); }
void AudioViewRange::selectAll() { setSelection(0, extentFrames()); }

void AudioViewRange::setPlayhead(qint64 frame) {
    frame = std::clamp<qint64>(frame, 0, extentFrames());
    if (frame == m_playhead) return;
    m_playhead = frame;
    Q_EMIT playheadChanged(frame);
}

void AudioViewRange::reset() {
    clearSelection();
    setPlayhead(0);
    m_fit = true;
    const bool extentWas = m_totalFrames != 0 || m_expectedFrames != -1;
    m_totalFrames = 0;
    m_expectedFrames = -1;
    if (extentWas) Q_EMIT extentChanged(0, -1);
    refit();
}

}  // namespace latent
