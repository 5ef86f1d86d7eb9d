#pragma once
// What the waveform and spectrogram views share: a time axis over an
// AudioViewRange (zoom, scroll, selection, playhead), a time ruler on top, an
// axis gutter on the left (the same width in every view, so stacked views line
// up frame for frame) and the mouse and keyboard handling. Subclasses paint
// the content and the gutter's labels.
//
// Mouse: the wheel zooms around the cursor (plain or Ctrl); Shift+wheel or a
// horizontal wheel scrolls; a drag selects (Shift+click extends the
// selection); a click moves the playhead and emits scrubRequested (a drag on
// the ruler scrubs continuously); a middle-button drag pans; a double-click
// selects all, on the ruler it zooms to fit.
// Keys: + / − zoom (around the playhead when it is in view), ← / → scroll,
// Home / End move the playhead to the start / end, F or 0 fits, Ctrl+A
// selects all, Esc clears the selection.
//
// Paint cost depends on the widget's width only: subclasses draw the dirty
// pixel columns from the data's mipmaps, and a growing take repaints only
// the strip it grew by (unless fit mode rescales the whole view).
#include <QPointer>
#include <QWidget>

namespace latent {

class AudioViewData;
class AudioViewRange;

class AudioTimeView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kGutterWidth = 52;

    explicit AudioTimeView(QWidget* parent = nullptr);

    // The shared range (not owned); null gives the view a private one again.
    void setRange(AudioViewRange* range);
    AudioViewRange* range() const { return m_range; }
    // The take shown (not owned).
    void setData(AudioViewData* data);
    AudioViewData* data() const { return m_data; }

    void setRulerVisible(bool visible);
    bool rulerVisible() const { return m_rulerVisible; }
    void setPlaceholderText(const QString& text);

    // Geometry, in widget coordinates.
    QRect rulerRect() const;
    QRect contentRect() const;
    double frameToX(double frame) const;
    double xToFrame(double x) const;  // unclamped
    // The frame a click at `x` means: rounded, clamped to [0, extent].
    qint64 frameAt(double x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void zoomToFit();

Q_SIGNALS:
    // The user clicked or scrubbed to `frame` (the playhead has moved there).
    void scrubRequested(qint64 frame);

protected:
    // Content within `dirty` (already clipped to contentRect()).
    virtual void paintContent(QPainter& p, const QRect& dirty) = 0;
    // Axis labels in the gutter (left of contentRect()).
    virtual void paintGutter(QPainter& p, const QRect& gutter) = 0;
    // Frames before a growth that its repaint must include (the spectrogram's window).
    virtual qint64 growthMarginFrames() const { return 0; }
    // The take changed shape (cleared, format): drop anything cached.
    virtual void dataReset() {}

    QColor backgroundColor() const;
    QColor playheadColor() const;
    // Repaints the content strip over frames [from, to).
    void updateFrames(double from, double to);

    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void connectRange();
    void onGrew(qint64 from, qint64 to);
    void onPlayheadChanged(qint64 frame);
    void paintRuler(QPainter& p);
    void paintOverlays(QPainter& p);
    void scrubTo(qint64 frame);
    void setHoverX(int x);
    void updateColumnAt(double x, int halfWidth);

    AudioViewRange* m_ownRange = nullptr;
    AudioViewRange* m_range = nullptr;
    QPointer<AudioViewData> m_data;
    QMetaObject::Connection m_rangeConnections[5];
    QMetaObject::Connection m_dataConnections[4];
    bool m_rulerVisible = true;
    QString m_placeholder;

    enum class Drag { None, Select, Scrub, Pan };
    Drag m_drag = Drag::None;
    bool m_moved = false;
    QPointF m_pressPos;
    qint64 m_anchorFrame = 0;  // the fixed end of a selection being dragged
    double m_panLastX = 0;
    qint64 m_lastPlayhead = 0;
    int m_hoverX = -1;
};

}  // namespace latent
