#include "widgets/Canvas.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace latent {

Canvas::Canvas(QWidget* parent) : QWidget(parent), m_placeholder(tr("Generated images appear here")) {
    setObjectName(QStringLiteral("canvas"));
    setMouseTracking(false);
    setFocusPolicy(Qt::ClickFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAcceptDrops(true);
}

QSize Canvas::sizeHint() const { return {640, 480}; }
QSize Canvas::minimumSizeHint() const { return {160, 120}; }

void Canvas::clear() {
    m_frames.clear();
    m_expected = 0;
    m_selected = m_secondary = -1;
    m_pan = {};
    updateFit();
    update();
    Q_EMIT contentChanged();
}

void Canvas::setExpectedCount(int count) {
    m_expected = std::max(0, count);
    updateFit();
    update();
}

void Canvas::setFrame(int index, const QImage& image) {
    if (index < 0 || image.isNull()) return;
    const QSize before = contentSize();
    if (index >= int(m_frames.size())) m_frames.resize(std::size_t(index) + 1);
    m_frames[std::size_t(index)] = image;
    if (contentSize() != before) updateFit();
    update();
    Q_EMIT contentChanged();
}

QImage Canvas::frame(int index) const {
    return index >= 0 && index < int(m_frames.size()) ? m_frames[std::size_t(index)] : QImage();
}

bool Canvas::hasImage() const {
    return std::any_of(m_frames.begin(), m_frames.end(), [](const QImage& i) { return !i.isNull(); });
}

void Canvas::setPlaceholderText(const QString& text) {
    m_placeholder = text;
    update();
}

void Canvas::setSelection(int primary, int secondary) {
    if (primary == m_selected && secondary == m_secondary) return;
    m_selected = primary;
    m_secondary = secondary;
    update();
}

QRectF Canvas::cellWidgetRect(int index) const {
    const QRect cell = cellRect(index);
    return {contentOrigin() + QPointF(cell.topLeft()) * m_zoom, QSizeF(cell.size()) * m_zoom};
}

int Canvas::indexAt(QPointF pos) const {
    const int n = std::max(int(m_frames.size()), m_expected);
    if (contentSize().isEmpty()) return -1;
    for (int i = 0; i < n; ++i)
        if (cellWidgetRect(i).contains(pos)) return i;
    return -1;
}

int Canvas::columns() const {
    const int n = std::max(int(m_frames.size()), m_expected);
    return n <= 1 ? 1 : int(std::ceil(std::sqrt(double(n))));
}

QSize Canvas::cellSize() const {
    QSize s;
    for (const QImage& img : m_frames) s = s.expandedTo(img.size());
    return s;
}

QSize Canvas::contentSize() const {
    const int n = std::max(int(m_frames.size()), m_expected);
    const QSize cell = cellSize();
    if (n == 0 || cell.isEmpty()) return {};
    const int cols = columns();
    const int rows = (n + cols - 1) / cols;
    return {cols * cell.width() + (cols - 1) * kGap, rows * cell.height() + (rows - 1) * kGap};
}

QRect Canvas::cellRect(int index) const {
    const QSize cell = cellSize();
    const int cols = columns();
    return {(index % cols) * (cell.width() + kGap), (index / cols) * (cell.height() + kGap), cell.width(), cell.height()};
}

QImage Canvas::image() const {
    if (m_frames.size() == 1) return m_frames.front();
    const QSize size = contentSize();
    if (size.isEmpty()) return {};
    QImage out(size, QImage::Format_RGBA8888);
    out.fill(Qt::transparent);
    QPainter p(&out);
    for (std::size_t i = 0; i < m_frames.size(); ++i)
        if (!m_frames[i].isNull()) p.drawImage(cellRect(int(i)).topLeft(), m_frames[i]);
    return out;
}

double Canvas::fitZoom() const {
    const QSize content = contentSize();
    if (content.isEmpty()) return 1.0;
    const double margin = 24.0;
    const double zx = std::max(1.0, width() - margin) / content.width();
    const double zy = std::max(1.0, height() - margin) / content.height();
    return std::clamp(std::min(zx, zy), kMinZoom, kMaxZoom);
}

void Canvas::updateFit() {
    if (!m_fit) return;
    m_pan = {};
    const double z = fitZoom();
    if (z != m_zoom) {
        m_zoom = z;
        Q_EMIT zoomChanged(m_zoom);
    }
}

QPointF Canvas::contentOrigin() const {
    const QSize c = contentSize();
    return QPointF(width() / 2.0, height() / 2.0) + m_pan - QPointF(c.width() * m_zoom / 2.0, c.height() * m_zoom / 2.0);
}

void Canvas::zoomAround(double zoom, QPointF pos) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QSize c = contentSize();
    // Keep the content point under `pos` where it is.
    const QPointF contentPoint = (pos - contentOrigin()) / m_zoom;
    const QPointF newOrigin = pos - contentPoint * zoom;
    m_pan = newOrigin - QPointF(width() / 2.0, height() / 2.0) + QPointF(c.width() * zoom / 2.0, c.height() * zoom / 2.0);
    m_fit = false;
    if (zoom != m_zoom) {
        m_zoom = zoom;
        Q_EMIT zoomChanged(m_zoom);
    }
    update();
}

void Canvas::setZoom(double zoom) { zoomAround(zoom, QPointF(width() / 2.0, height() / 2.0)); }
void Canvas::zoomIn() { setZoom(m_zoom * 1.25); }
void Canvas::zoomOut() { setZoom(m_zoom / 1.25); }

void Canvas::zoomToFit() {
    m_fit = true;
    updateFit();
    Q_EMIT zoomChanged(m_zoom);
    update();
}

void Canvas::zoomActualSize() {
    m_pan = {};
    m_fit = false;
    m_zoom = 1.0;
    Q_EMIT zoomChanged(m_zoom);
    update();
}

void Canvas::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateFit();
}

void Canvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QPalette& pal = palette();
    const QColor bg = pal.color(QPalette::Base).darker(pal.color(QPalette::Base).lightness() > 128 ? 104 : 115);
    p.fillRect(rect(), bg);

    const QSize content = contentSize();
    if (content.isEmpty()) {
        p.setPen(pal.color(QPalette::Disabled, QPalette::Text));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        if (m_dropHover) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 3, Qt::DashLine));
            p.drawRect(QRectF(rect()).adjusted(2, 2, -2, -2));
        }
        return;
    }
    const QPointF origin = contentOrigin();
    // Magnified pixels stay crisp; reductions are smoothed.
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    const int n = std::max(int(m_frames.size()), m_expected);
    QPixmap tiles(16, 16);
    tiles.fill(QColor(0xcc, 0xcc, 0xcc));
    {
        QPainter tp(&tiles);
        tp.fillRect(0, 0, 8, 8, QColor(0x99, 0x99, 0x99));
        tp.fillRect(8, 8, 8, 8, QColor(0x99, 0x99, 0x99));
    }
    const QBrush checker(tiles);
    for (int i = 0; i < n; ++i) {
        const QRect cell = cellRect(i);
        const QRectF target(origin + QPointF(cell.topLeft()) * m_zoom, QSizeF(cell.size()) * m_zoom);
        const QImage img = i < int(m_frames.size()) ? m_frames[std::size_t(i)] : QImage();
        if (img.isNull()) {
            QPen pen(pal.color(QPalette::Mid), 1, Qt::DashLine);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawRect(target.adjusted(0.5, 0.5, -0.5, -0.5));
            continue;
        }
        const QRectF imgRect(target.topLeft(), QSizeF(img.size()) * m_zoom);
        // Checkerboard under the image shows transparency (one textured fill).
        p.fillRect(imgRect.intersected(QRectF(rect())), checker);
        p.drawImage(imgRect, img);
    }
    // Selection on top, outside the cell so it never hides pixels; the
    // letters say which end of an interpolation each image is.
    const QColor accent = pal.color(QPalette::Highlight);
    const bool pair = m_secondary >= 0 && m_secondary < n;
    auto mark = [&](int index, Qt::PenStyle style, const QString& letter) {
        if (index < 0 || index >= n) return;
        const QRectF r = cellWidgetRect(index).adjusted(-3, -3, 3, 3);
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(accent, 2.5, style));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r, 3, 3);
        if (!pair) return;
        QFont f = font();
        f.setBold(true);
        p.setFont(f);
        const QRectF badge(r.topLeft() + QPointF(4, 4), QSizeF(QFontMetrics(f).height() + 4, QFontMetrics(f).height() + 2));
        p.setPen(Qt::NoPen);
        p.setBrush(accent);
        p.drawRoundedRect(badge, 3, 3);
        p.setPen(pal.color(QPalette::HighlightedText));
        p.drawText(badge, Qt::AlignCenter, letter);
    };
    mark(m_secondary, Qt::DashLine, QStringLiteral("B"));
    mark(m_selected, Qt::SolidLine, QStringLiteral("A"));
    if (m_dropHover) {
        p.setPen(QPen(accent, 3, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(rect()).adjusted(2, 2, -2, -2));
    }
}

void Canvas::wheelEvent(QWheelEvent* event) {
    if (contentSize().isEmpty()) return;
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomAround(m_zoom * std::pow(1.25, steps), event->position());
    event->accept();
}

void Canvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        m_dragging = true;
        m_moved = false;
        m_dragLast = m_pressPos = event->position();
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void Canvas::mouseMoveEvent(QMouseEvent* event) {
    if (!m_dragging) return QWidget::mouseMoveEvent(event);
    if (!m_moved) {
        // A small jitter is still a click.
        if ((event->position() - m_pressPos).manhattanLength() < QApplication::startDragDistance()) return;
        m_moved = true;
        setCursor(Qt::ClosedHandCursor);
    }
    m_pan += event->position() - m_dragLast;
    m_dragLast = event->position();
    m_fit = false;
    update();
}

void Canvas::mouseReleaseEvent(QMouseEvent* event) {
    if (m_dragging) {
        m_dragging = false;
        unsetCursor();
        if (!m_moved && event->button() == Qt::LeftButton)
            Q_EMIT cellClicked(indexAt(event->position()), event->modifiers());
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

namespace {
QStringList localFiles(const QMimeData* mime) {
    QStringList out;
    if (!mime || !mime->hasUrls()) return out;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) out << url.toLocalFile();
    return out;
}
}  // namespace

void Canvas::dragEnterEvent(QDragEnterEvent* event) {
    if (localFiles(event->mimeData()).isEmpty()) return;
    event->acceptProposedAction();
    m_dropHover = true;
    update();
}

void Canvas::dragLeaveEvent(QDragLeaveEvent*) {
    m_dropHover = false;
    update();
}

void Canvas::dropEvent(QDropEvent* event) {
    m_dropHover = false;
    update();
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    Q_EMIT filesDropped(files);
}

void Canvas::mouseDoubleClickEvent(QMouseEvent*) {
    // Double-click toggles between fit and 100%.
    if (m_fit) zoomActualSize();
    else zoomToFit();
}

}  // namespace latent
