#pragma once
// What the audio views of one take share, so zoom, scroll, selection and
// playhead stay in step across the waveform and the spectrogram: the
// visible span (in frames, fractional so deep zoom pans smoothly), the take's
// length, the selection and the playhead. GUI thread only.
//
// "Fit" mode shows the whole take, [0, extent), and follows it as blocks
// arrive; the extent is the announced length of the stream when known
// (AudioBlock::totalFrames), so the scale then stays put while it streams,
// else what has arrived so far. Zooming or scrolling leaves fit mode.
#include <QObject>

namespace latent {

class AudioViewRange : public QObject {
    Q_OBJECT
public:
    // The narrowest span a view zooms to (samples are then ~30 px apart).
    static constexpr qint64 kMinVisibleFrames = 32;

    explicit AudioViewRange(QObject* parent = nullptr);

    int sampleRateHz() const { return m_sampleRateHz; }
    void setSampleRate(int hz);

    qint64 totalFrames() const { return m_totalFrames; }  // arrived so far
    void setTotalFrames(qint64 frames);
    qint64 expectedFrames() const { return m_expectedFrames; }  // announced length; -1 unknown
    void setExpectedFrames(qint64 frames);
    // The span the views can show: max(total, expected).
    qint64 extentFrames() const;

    double visibleStart() const { return m_visibleStart; }
    double visibleEnd() const { return m_visibleEnd; }
    double visibleFrames() const { return m_visibleEnd - m_visibleStart; }
    bool fitMode() const { return m_fit; }
    // Leaves fit mode; clamped to [0, extent] and at least kMinVisibleFrames
    // wide (wider than the extent means fit).
    void setVisibleRange(double start, double end);
    // factor > 1 zooms in; the frame `anchor` stays where it is on screen.
    void zoomAround(double anchor, double factor);
    void scrollBy(double frames);
    void zoomToFit();

    bool hasSelection() const { return m_selectionEnd > m_selectionStart; }
    qint64 selectionStart() const { return m_selectionStart; }
    qint64 selectionEnd() const { return m_selectionEnd; }
    // Either order; clamped to [0, extent]. An empty span clears the selection.
    void setSelection(qint64 a, qint64 b);
    void clearSelection();
    void selectAll();

    qint64 playhead() const { return m_playhead; }
    void setPlayhead(qint64 frame);  // clamped to [0, extent]

    // A new take: nothing arrived, fit mode, no selection, playhead at 0.
    void reset();

Q_SIGNALS:
    void visibleRangeChanged(double start, double end);
    // The take's length (arrived or announced) changed.
    void extentChanged(qint64 totalFrames, qint64 expectedFrames);
    void sampleRateChanged(int hz);
    void selectionChanged(qint64 start, qint64 end);  // start == end: none
    void playheadChanged(qint64 frame);

private:
    void applyVisible(double start, double end, bool fit);
    void refit();

    int m_sampleRateHz = 0;
    qint64 m_totalFrames = 0;
    qint64 m_expectedFrames = -1;
    double m_visibleStart = 0;
    double m_visibleEnd = 0;
    bool m_fit = true;
    qint64 m_selectionStart = 0;
    qint64 m_selectionEnd = 0;
    qint64 m_playhead = 0;
};

}  // namespace latent
