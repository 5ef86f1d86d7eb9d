#pragma once
// Shows a job's images: one frame, or a batch laid out as a grid, on a
// checkerboard. Zoom with the wheel (around the cursor), Ctrl+= / Ctrl+-,
// fit or 100%; pan by dragging. Frames may arrive in any order and are
// replaced as refinement steps stream in. A click (a press that does not
// move) reports the cell under it, and the owner marks a selected cell and
// an optional second one; image files dropped on it are reported too.
#include <QImage>
#include <QPointF>
#include <QStringList>
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

    // Selection as shown: `primary` gets a solid highlight, `secondary` (the
    // other end of an interpolation) a dashed one; -1 for none.
    void setSelection(int primary, int secondary = -1);
    int selectedIndex() const { return m_selected; }
    int secondaryIndex() const { return m_secondary; }
    // The cell under a widget position, -1 when none.
    int indexAt(QPointF widgetPos) const;
    // Where cell `index` is drawn, in widget coordinates.
    QRectF cellWidgetRect(int index) const;

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
    // A click on cell `index` (-1: on no cell) with these modifiers held.
    void cellClicked(int index, Qt::KeyboardModifiers modifiers);
    // Local files dropped on the canvas.
    void filesDropped(const QStringList& paths);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

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
    bool m_moved = false;  // the press became a pan, so its release is no click
    QPointF m_dragLast;
    QPointF m_pressPos;
    int m_selected = -1;
    int m_secondary = -1;
    bool m_dropHover = false;
    QString m_placeholder;
};

}  // namespace latent
