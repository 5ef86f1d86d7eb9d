#include "widgets/AudioTimeView.h"

#include <QApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "widgets/AudioViewData.h"
#include "widgets/AudioViewRange.h"

namespace latent {

namespace {

struct TickStep {
    double seconds;
    int minors;  // minor ticks per major step
};

// Major ruler steps, finest first; each labelled tick needs ~a label's width.
constexpr TickStep kSteps[] = {
    {0.0001, 5}, {0.0002, 4}, {0.0005, 5}, {0.001, 5}, {0.002, 4}, {0.005, 5}, {0.01, 5}, {0.02, 4},
    {0.05, 5},   {0.1, 5},    {0.2, 4},    {0.5, 5},   {1, 5},     {2, 4},     {5, 5},    {10, 5},
    {15, 3},     {30, 3},     {60, 4},     {120, 4},   {300, 5},   {600, 5},   {900, 3},  {1800, 3},
    {3600, 4},   {7200, 4},   {18000, 5},  {36000, 5},
};

int decimalsFor(double step) {
    int d = 0;
    while (d < 4 && step * std::pow(10.0, d) < 0.999) ++d;
    return d;
}

// "250 ms" while the view ends before 1 s, "1.25 s", "2:05" / "2:05.5" from a minute on.
QString timeLabel(double seconds, double step, bool milliseconds) {
    if (milliseconds) return QStringLiteral("%1 ms").arg(seconds * 1000.0, 0, 'f', std::max(0, decimalsFor(step) - 3));
    const int d = decimalsFor(step);
    if (seconds < 60.0 - 1e-9) return QStringLiteral("%1 s").arg(seconds, 0, 'f', d);
    const auto minutes = qint64(std::floor(seconds / 60.0 + 1e-9));
    const double rest = std::max(0.0, seconds - 60.0 * double(minutes));
    if (minutes >= 60)
        return QStringLiteral("%1:%2:%3")
            .arg(minutes / 60)
            .arg(minutes % 60, 2, 10, QLatin1Char('0'))
            .arg(rest, d > 0 ? d + 3 : 2, 'f', d, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(minutes).arg(rest, d > 0 ? d + 3 : 2, 'f', d, QLatin1Char('0'));
}

}  // namespace

AudioTimeView::AudioTimeView(QWidget* parent)
    : QWidget(parent), m_placeholder(tr("Audio appears here as it is generated")) {
    m_ownRange = new AudioViewRange(this);
    m_range = m_ownRange;
    connectRange();
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Wheel: zoom · Shift+wheel: scroll · drag: select · click: move the playhead\n"
                  "Double-click: select all · double-click the ruler: fit · +/−, Home/End, F: fit"));
}

QSize AudioTimeView::sizeHint() const { return {640, 160}; }
QSize AudioTimeView::minimumSizeHint() const { return {kGutterWidth + 80, 60}; }

void AudioTimeView::setRange(AudioViewRange* range) {
    m_range = range ? range : m_ownRange;
    connectRange();
    if (m_data && !m_data->isEmpty()) onGrew(0, m_data->frames());
    update();
}

void AudioTimeView::connectRange() {
    for (auto& c : m_rangeConnections) disconnect(c);
    m_rangeConnections[0] = connect(m_range, &AudioViewRange::visibleRangeChanged, this, [this] { update(); });
    m_rangeConnections[1] = connect(m_range, &AudioViewRange::selectionChanged, this, [this] { update(); });
    m_rangeConnections[2] = connect(m_range, &AudioViewRange::playheadChanged, this, &AudioTimeView::onPlayheadChanged);
    m_rangeConnections[3] = connect(m_range, &AudioViewRange::sampleRateChanged, this, [this] { update(); });
    if (m_range != m_ownRange)  // a shared range that goes away leaves the private one
        m_rangeConnections[4] = connect(m_range, &QObject::destroyed, this, [this] {
            m_range = m_ownRange;
            connectRange();
            update();
        });
    m_lastPlayhead = m_range->playhead();
}

void AudioTimeView::setData(AudioViewData* data) {
    for (auto& c : m_dataConnections) disconnect(c);
    m_data = data;
    dataReset();
    if (data) {
        m_dataConnections[0] = connect(data, &AudioViewData::grew, this, &AudioTimeView::onGrew);
        m_dataConnections[1] = connect(data, &AudioViewData::cleared, this, [this] {
            m_range->reset();
            dataReset();
            update();
        });
        m_dataConnections[2] = connect(data, &AudioViewData::formatChanged, this, [this](int hz, int) {
            m_range->setSampleRate(hz);
            dataReset();
            update();
        });
        m_dataConnections[3] = connect(data, &AudioViewData::expectedFramesChanged, this,
                                       [this](qint64 frames) { m_range->setExpectedFrames(frames); });
        if (!data->isEmpty()) onGrew(0, data->frames());
    }
    update();
}

void AudioTimeView::setRulerVisible(bool visible) {
    if (visible == m_rulerVisible) return;
    m_rulerVisible = visible;
    update();
}

void AudioTimeView::setPlaceholderText(const QString& text) {
    m_placeholder = text;
    update();
}

QRect AudioTimeView::rulerRect() const {
    if (!m_rulerVisible) return {};
    return {kGutterWidth, 0, std::max(0, width() - kGutterWidth), fontMetrics().height() + 8};
}

QRect AudioTimeView::contentRect() const {
    const int top = m_rulerVisible ? rulerRect().bottom() + 1 : 0;
    return {kGutterWidth, top, std::max(1, width() - kGutterWidth), std::max(1, height() - top)};
}

double AudioTimeView::frameToX(double frame) const {
    const QRect c = contentRect();
    const double span = std::max(1.0, m_range->visibleFrames());
    return c.left() + (frame - m_range->visibleStart()) * c.width() / span;
}

double AudioTimeView::xToFrame(double x) const {
    const QRect c = contentRect();
    return m_range->visibleStart() + (x - c.left()) * m_range->visibleFrames() / std::max(1, c.width());
}

qint64 AudioTimeView::frameAt(double x) const {
    return std::clamp<qint64>(qint64(std::llround(xToFrame(x))), 0, m_range->extentFrames());
}

QColor AudioTimeView::backgroundColor() const {
    const QColor base = palette().color(QPalette::Base);
    return base.lightness() > 128 ? base : base.darker(112);
}

QColor AudioTimeView::playheadColor() const {
    return palette().color(QPalette::Base).lightness() > 128 ? QColor(0xe0, 0x3a, 0x2f) : QColor(0xff, 0x5c, 0x4d);
}

void AudioTimeView::updateFrames(double from, double to) {
    const QRect c = contentRect();
    const int x0 = std::max(c.left(), int(std::floor(frameToX(from))) - 1);
    const int x1 = std::min(c.right() + 1, int(std::ceil(frameToX(to))) + 1);
    if (x1 <= x0) return;
    update(QRect(x0, c.top(), x1 - x0, c.height()));
}

void AudioTimeView::onGrew(qint64 from, qint64 to) {
    if (!m_data) return;
    const bool first = m_range->totalFrames() == 0;
    m_range->setSampleRate(m_data->sampleRateHz());
    m_range->setExpectedFrames(m_data->expectedFrames());
    // In fit mode this may rescale the view, which then repaints whole.
    m_range->setTotalFrames(m_data->frames());
    if (first) update();
    else updateFrames(double(from - growthMarginFrames()), double(to));
}

void AudioTimeView::updateColumnAt(double x, int halfWidth) {
    const int xi = int(std::lround(x));
    update(QRect(xi - halfWidth, 0, 2 * halfWidth + 1, height()));
}

void AudioTimeView::onPlayheadChanged(qint64 frame) {
    const int head = fontMetrics().height() / 2 + 2;  // the ruler's marker
    updateColumnAt(frameToX(double(m_lastPlayhead)), head);
    updateColumnAt(frameToX(double(frame)), head);
    m_lastPlayhead = frame;
}

void AudioTimeView::setHoverX(int x) {
    if (x == m_hoverX) return;
    if (m_hoverX >= 0) updateColumnAt(m_hoverX, 1);
    m_hoverX = x;
    if (m_hoverX >= 0) updateColumnAt(m_hoverX, 1);
}

void AudioTimeView::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    const QRect dirty = event->rect();
    const QPalette& pal = palette();
    p.fillRect(dirty, pal.color(QPalette::Window));
    const QRect content = contentRect();
    const QRect contentDirty = content & dirty;
    p.fillRect(contentDirty, backgroundColor());
    const bool empty = !m_data || m_data->isEmpty();
    if (empty) {
        p.setPen(pal.color(QPalette::Disabled, QPalette::Text));
        p.drawText(content, Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    } else if (!contentDirty.isEmpty()) {
        p.save();
        p.setClipRect(contentDirty);
        paintContent(p, contentDirty);
        p.restore();
    }
    if (!empty) paintOverlays(p);
    if (m_rulerVisible && dirty.intersects(rulerRect())) paintRuler(p);
    const QRect gutter(0, content.top(), kGutterWidth, content.height());
    if (dirty.intersects(QRect(0, 0, kGutterWidth, height()))) {
        p.fillRect(QRect(0, 0, kGutterWidth, height()), pal.color(QPalette::Window));
        if (!empty) {
            p.save();
            p.setClipRect(gutter);
            paintGutter(p, gutter);
            p.restore();
        }
    }
    // Hairlines between the axes and the content.
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(content.left() - 1, 0, content.left() - 1, height());
    if (m_rulerVisible) p.drawLine(0, content.top() - 1, width(), content.top() - 1);
}

void AudioTimeView::paintOverlays(QPainter& p) {
    const QRect content = contentRect();
    const QRect band(content.left(), 0, content.width(), height());
    p.save();
    p.setClipRect(band);
    const QColor accent = palette().color(QPalette::Highlight);
    if (m_range->hasSelection()) {
        const double x0 = frameToX(double(m_range->selectionStart()));
        const double x1 = frameToX(double(m_range->selectionEnd()));
        QColor fill = accent;
        fill.setAlpha(56);
        p.fillRect(QRectF(x0, content.top(), std::max(1.0, x1 - x0), content.height()), fill);
        if (m_rulerVisible) {
            QColor bar = accent;
            bar.setAlpha(150);
            const QRect r = rulerRect();
            p.fillRect(QRectF(x0, r.bottom() - 3, std::max(1.0, x1 - x0), 4), bar);
        }
        QColor edge = accent;
        edge.setAlpha(200);
        p.setPen(QPen(edge, 1));
        p.drawLine(QPointF(x0 + 0.5, content.top()), QPointF(x0 + 0.5, content.bottom() + 1));
        p.drawLine(QPointF(x1 - 0.5, content.top()), QPointF(x1 - 0.5, content.bottom() + 1));
    }
    if (m_hoverX >= content.left() && m_hoverX <= content.right() && m_drag == Drag::None) {
        QColor hover = palette().color(QPalette::Text);
        hover.setAlpha(70);
        p.setPen(QPen(hover, 1));
        p.drawLine(QPointF(m_hoverX + 0.5, content.top()), QPointF(m_hoverX + 0.5, content.bottom() + 1));
    }
    const double px = frameToX(double(m_range->playhead()));
    if (px >= content.left() - 1 && px <= content.right() + 1) {
        const QColor head = playheadColor();
        p.setPen(QPen(head, 1.5));
        p.drawLine(QPointF(px, m_rulerVisible ? rulerRect().top() + 2 : content.top()), QPointF(px, content.bottom() + 1));
        if (m_rulerVisible) {
            const double s = fontMetrics().height() / 2.0;
            const double top = rulerRect().top() + 1;
            QPainterPath tri;
            tri.moveTo(px - s / 1.4, top);
            tri.lineTo(px + s / 1.4, top);
            tri.lineTo(px, top + s);
            tri.closeSubpath();
            p.setRenderHint(QPainter::Antialiasing, true);
            p.fillPath(tri, head);
        }
    }
    p.restore();
}

void AudioTimeView::paintRuler(QPainter& p) {
    const QRect r = rulerRect();
    const QPalette& pal = palette();
    p.fillRect(r, pal.color(QPalette::Window));
    const int sr = m_range->sampleRateHz();
    if (sr <= 0 || r.width() <= 0) return;
    p.save();
    p.setClipRect(r);
    const double secondsPerPx = m_range->visibleFrames() / sr / r.width();
    const double t0 = m_range->visibleStart() / sr;
    const double t1 = m_range->visibleEnd() / sr;
    const bool ms = t1 < 1.0;
    const QFontMetrics fm = fontMetrics();
    const int labelWidth = fm.horizontalAdvance(QStringLiteral("00:00.000")) + 16;
    TickStep step = kSteps[std::size(kSteps) - 1];
    for (const TickStep& s : kSteps)
        if (s.seconds / secondsPerPx >= labelWidth) {
            step = s;
            break;
        }
    const double minor = step.seconds / step.minors;
    QColor tick = pal.color(QPalette::WindowText);
    tick.setAlpha(110);
    QColor label = pal.color(QPalette::WindowText);
    label.setAlpha(200);
    const qint64 first = qint64(std::floor(t0 / minor));
    const qint64 last = qint64(std::ceil(t1 / minor));
    for (qint64 i = first; i <= last; ++i) {
        const double t = double(i) * minor;
        const double x = std::round(frameToX(t * sr)) + 0.5;
        const bool major = i % step.minors == 0;
        p.setPen(tick);
        p.drawLine(QPointF(x, r.bottom() + 1), QPointF(x, r.bottom() + 1 - (major ? r.height() * 0.45 : r.height() * 0.2)));
        if (major) {
            p.setPen(label);
            p.drawText(QPointF(x + 3, r.top() + fm.ascent() + 2), timeLabel(t, step.seconds, ms));
        }
    }
    p.restore();
}

void AudioTimeView::zoomIn() {
    const double ph = double(m_range->playhead());
    const bool inView = ph >= m_range->visibleStart() && ph <= m_range->visibleEnd();
    m_range->zoomAround(inView ? ph : (m_range->visibleStart() + m_range->visibleEnd()) / 2, 1.5);
}

void AudioTimeView::zoomOut() {
    const double ph = double(m_range->playhead());
    const bool inView = ph >= m_range->visibleStart() && ph <= m_range->visibleEnd();
    m_range->zoomAround(inView ? ph : (m_range->visibleStart() + m_range->visibleEnd()) / 2, 1 / 1.5);
}

void AudioTimeView::zoomToFit() { m_range->zoomToFit(); }

void AudioTimeView::scrubTo(qint64 frame) {
    m_range->setPlayhead(frame);
    Q_EMIT scrubRequested(m_range->playhead());
}

void AudioTimeView::wheelEvent(QWheelEvent* event) {
    if (m_range->extentFrames() <= 0) return QWidget::wheelEvent(event);
    const QPoint delta = event->angleDelta();
    const bool scroll = (event->modifiers() & Qt::ShiftModifier) || (delta.x() != 0 && delta.y() == 0);
    if (scroll) {
        const double steps = (delta.y() != 0 ? delta.y() : delta.x()) / 120.0;
        m_range->scrollBy(-steps * 0.1 * m_range->visibleFrames());
    } else {
        const double steps = delta.y() / 120.0;
        if (steps == 0) return;
        const QRect c = contentRect();
        const double x = std::clamp(event->position().x(), double(c.left()), double(c.right() + 1));
        m_range->zoomAround(xToFrame(x), std::pow(1.25, steps));
    }
    event->accept();
}

void AudioTimeView::mousePressEvent(QMouseEvent* event) {
    if (!m_data || m_data->isEmpty() || event->position().x() < kGutterWidth) return QWidget::mousePressEvent(event);
    const double x = event->position().x();
    m_pressPos = event->position();
    m_moved = false;
    if (event->button() == Qt::LeftButton) {
        if (m_rulerVisible && rulerRect().contains(event->position().toPoint())) {
            m_drag = Drag::Scrub;
            scrubTo(frameAt(x));
        } else {
            m_drag = Drag::Select;
            const qint64 frame = frameAt(x);
            m_anchorFrame = frame;
            if ((event->modifiers() & Qt::ShiftModifier) && m_range->hasSelection()) {
                // Extend from the far end.
                const qint64 s = m_range->selectionStart(), e = m_range->selectionEnd();
                m_anchorFrame = std::abs(frame - s) < std::abs(frame - e) ? e : s;
                m_range->setSelection(m_anchorFrame, frame);
                m_moved = true;
            }
        }
        event->accept();
        return;
    }
    if (event->button() == Qt::MiddleButton) {
        m_drag = Drag::Pan;
        m_panLastX = x;
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void AudioTimeView::mouseMoveEvent(QMouseEvent* event) {
    const QRect c = contentRect();
    const double x = event->position().x();
    setHoverX(c.contains(event->position().toPoint()) ? int(std::floor(x)) : -1);
    switch (m_drag) {
    case Drag::None:
        return QWidget::mouseMoveEvent(event);
    case Drag::Scrub:
        scrubTo(frameAt(x));
        break;
    case Drag::Select: {
        if (!m_moved && (event->position() - m_pressPos).manhattanLength() < QApplication::startDragDistance()) return;
        m_moved = true;
        // Dragging past an edge scrolls the view along.
        const double framesPerPx = m_range->visibleFrames() / std::max(1, c.width());
        if (x < c.left()) m_range->scrollBy((x - c.left()) * framesPerPx);
        if (x > c.right() + 1) m_range->scrollBy((x - c.right() - 1) * framesPerPx);
        m_range->setSelection(m_anchorFrame, frameAt(std::clamp(x, double(c.left()), double(c.right() + 1))));
        break;
    }
    case Drag::Pan: {
        const double framesPerPx = m_range->visibleFrames() / std::max(1, c.width());
        m_range->scrollBy(-(x - m_panLastX) * framesPerPx);
        m_panLastX = x;
        break;
    }
    }
    event->accept();
}

void AudioTimeView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_drag == Drag::None) return QWidget::mouseReleaseEvent(event);
    if (m_drag == Drag::Select && !m_moved && event->button() == Qt::LeftButton) {
        // A click: an empty selection at the playhead.
        m_range->clearSelection();
        scrubTo(frameAt(event->position().x()));
    }
    if (m_drag == Drag::Pan) unsetCursor();
    m_drag = Drag::None;
    event->accept();
}

void AudioTimeView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (!m_data || m_data->isEmpty() || event->button() != Qt::LeftButton) return QWidget::mouseDoubleClickEvent(event);
    if (m_rulerVisible && rulerRect().contains(event->position().toPoint())) m_range->zoomToFit();
    else m_range->selectAll();
    m_drag = Drag::None;  // the release that follows is no click
    event->accept();
}

void AudioTimeView::keyPressEvent(QKeyEvent* event) {
    const double span = m_range->visibleFrames();
    const qint64 extent = m_range->extentFrames();
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        zoomOut();
        break;
    case Qt::Key_Left:
        m_range->scrollBy(-0.1 * span);
        break;
    case Qt::Key_Right:
        m_range->scrollBy(0.1 * span);
        break;
    case Qt::Key_Home:
        if (!m_range->fitMode()) m_range->setVisibleRange(0, span);
        scrubTo(0);
        break;
    case Qt::Key_End:
        if (!m_range->fitMode()) m_range->setVisibleRange(double(extent) - span, double(extent));
        scrubTo(extent);
        break;
    case Qt::Key_F:
    case Qt::Key_0:
        m_range->zoomToFit();
        break;
    case Qt::Key_Escape:
        m_range->clearSelection();
        break;
    case Qt::Key_A:
        if (event->modifiers() & Qt::ControlModifier) {
            m_range->selectAll();
            break;
        }
        return QWidget::keyPressEvent(event);
    default:
        return QWidget::keyPressEvent(event);
    }
    event->accept();
}

void AudioTimeView::leaveEvent(QEvent* event) {
    setHoverX(-1);
    QWidget::leaveEvent(event);
}

}  // namespace latent
