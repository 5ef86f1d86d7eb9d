#pragma once
// Shows a job's images: one frame, or a batch laid out as a grid, on a
// checkerboard. Zoom with the wheel (around the cursor), Ctrl+= / Ctrl+-,
// fit or 100%; pan by dragging. Frames may arrive in any order and are
// replaced as refinement steps stream in.
#include <QImage>
#include <QPointF>
#include <QWidget>

#include <vector>

namespace latent {

class Canvas : public QWidget {
    Q_OBJECT
public:
    static constexpr double kMinZoom = 0.05;
    static constexpr double kMaxZoom = 64.0;
    static constexpr int kGap = 8;  // between grid cells, in image pixels

    explicit Canvas(QWidget* parent = nullptr);

    void clear();
    // Sets batch item `index` (0-based); the grid grows to hold it.
    void setFrame(int index, const QImage& image);
    // Reserves grid cells before frames arrive, so the layout does not jump.
    void setExpectedCount(int count);
    int frameCount() const { return int(m_frames.size()); }
    QImage frame(int index) const;
    bool hasImage() const;
    // What "Save image" writes: the single frame, or the grid composed with
    // transparent gaps.
    QImage image() const;

    double zoom() const { return m_zoom; }
    bool fitMode() const { return m_fit; }
    void setPlaceholderText(const QString& text);

    QSize contentSize() const;  // the grid in image pixels
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void zoomActualSize();
    void setZoom(double zoom);

Q_SIGNALS:
    void zoomChanged(double zoom);
    void contentChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    int columns() const;
    QSize cellSize() const;
    QRect cellRect(int index) const;  // in content (image) pixels
    QPointF contentOrigin() const;    // widget position of the content's top-left
    double fitZoom() const;
    void zoomAround(double zoom, QPointF widgetPos);
    void updateFit();

    std::vector<QImage> m_frames;
    int m_expected = 0;
    double m_zoom = 1.0;
    bool m_fit = true;
    QPointF m_pan;  // offset of the content's centre from the widget's centre
    bool m_dragging = false;
    QPointF m_dragLast;
    QString m_placeholder;
};

}  // namespace latent
