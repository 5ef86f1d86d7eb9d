#include "widgets/WaveformView.h"

#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

#include "widgets/AudioViewData.h"
#include "widgets/AudioViewRange.h"

namespace latent {

WaveformView::WaveformView(QWidget* parent) : AudioTimeView(parent) {
    setObjectName(QStringLiteral("waveformView"));
    setAccessibleName(tr("Waveform"));
    setAccessibleDescription(tr("The generated audio's waveform over time, one lane per channel"));
}

int WaveformView::laneCount() const { return data() && data()->channels() > 0 ? data()->channels() : 1; }

QRect WaveformView::laneRect(int channel) const {
    const QRect c = contentRect();
    const int n = laneCount();
    const int top = c.top() + int(std::lround(double(c.height()) * channel / n));
    const int bottom = c.top() + int(std::lround(double(c.height()) * (channel + 1) / n));
    // One pixel between lanes.
    return {c.left(), top, c.width(), std::max(1, bottom - top - (channel + 1 < n ? 1 : 0))};
}

void WaveformView::paintContent(QPainter& p, const QRect& dirty) {
    const AudioPeaks* peaks = data() ? data()->peaks() : nullptr;
    if (!peaks) return;
    const QPalette& pal = palette();
    const bool dark = pal.color(QPalette::Base).lightness() <= 128;
    const QColor accent = pal.color(QPalette::Highlight);
    const QColor wave = dark ? accent.lighter(115) : accent;
    const QColor waveSelected = dark ? QColor(0xcf, 0xe3, 0xff) : accent.darker(160);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(dark ? 28 : 36);
    QColor axis = pal.color(QPalette::Text);
    axis.setAlpha(dark ? 60 : 70);

    const int channels = std::min(laneCount(), peaks->channels());
    const AudioViewRange* r = range();
    const int x0 = dirty.left(), x1 = dirty.right() + 1;
    const double framesPerPx = r->visibleFrames() / std::max(1, contentRect().width());
    // Zoomed in past one sample per pixel, with the samples still kept: a
    // line through them (dots once they are far apart).
    const int finest = peaks->finestLevel();
    const bool samples = framesPerPx < 1.0 && peaks->bucketFrames(finest) == 1;

    std::vector<QPolygonF> upper(static_cast<std::size_t>(channels)), lower(static_cast<std::size_t>(channels));
    if (samples) {
        const qint64 first = std::max<qint64>(0, qint64(std::floor(xToFrame(x0))) - 1);
        const qint64 last = std::min<qint64>(peaks->bucketCount(finest) - 1, qint64(std::ceil(xToFrame(x1))) + 1);
        for (int c = 0; c < channels; ++c) {
            const QRect lane = laneRect(c);
            const double mid = lane.top() + lane.height() / 2.0;
            const double half = lane.height() / 2.0 - 1.0;
            for (qint64 f = first; f <= last; ++f) {
                const double v = std::clamp(double(peaks->bucket(finest, f, c).max), -1.0, 1.0);
                upper[std::size_t(c)].append(QPointF(frameToX(double(f) + 0.5), mid - v * half));
            }
        }
    } else {
        // Per pixel column: min/max of the frames under it, from the coarsest
        // mipmap buckets that fit inside (AudioPeaks::column).
        m_column.resize(std::size_t(std::max(1, peaks->channels())));
        for (int x = x0; x < x1; ++x) {
            const double f0 = xToFrame(x), f1 = xToFrame(x + 1);
            if (f1 <= 0) continue;
            const auto a = qint64(std::floor(std::max(0.0, f0)));
            const qint64 b = std::max(a + 1, qint64(std::ceil(f1)));
            if (!peaks->column(a, b, m_column)) break;  // past what has arrived
            for (int c = 0; c < channels; ++c) {
                const QRect lane = laneRect(c);
                const double mid = lane.top() + lane.height() / 2.0;
                const double half = lane.height() / 2.0 - 1.0;
                const AudioPeaks::Range& m = m_column[std::size_t(c)];
                double top = mid - std::clamp(double(m.max), -1.0, 1.0) * half;
                double bottom = mid - std::clamp(double(m.min), -1.0, 1.0) * half;
                if (bottom - top < 1.0) {  // silence still shows as a hairline
                    const double centre = (top + bottom) / 2;
                    top = centre - 0.5;
                    bottom = centre + 0.5;
                }
                upper[std::size_t(c)].append(QPointF(x, top));
                upper[std::size_t(c)].append(QPointF(x + 1, top));
                lower[std::size_t(c)].append(QPointF(x, bottom));
                lower[std::size_t(c)].append(QPointF(x + 1, bottom));
            }
        }
    }
    const bool dots = samples && framesPerPx < 1.0 / 6.0;
    for (int c = 0; c < channels; ++c) {
        const QRect lane = laneRect(c);
        const double mid = lane.top() + lane.height() / 2.0;
        const double half = lane.height() / 2.0 - 1.0;
        // Grid: the centre line and ±0.5 (−6 dBFS).
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(axis, 1));
        p.drawLine(QPointF(x0, std::floor(mid) + 0.5), QPointF(x1, std::floor(mid) + 0.5));
        p.setPen(QPen(grid, 1, Qt::DashLine));
        for (double y : {mid - half * 0.5, mid + half * 0.5})
            p.drawLine(QPointF(x0, std::floor(y) + 0.5), QPointF(x1, std::floor(y) + 0.5));
        if (c + 1 < channels) {
            p.setPen(pal.color(QPalette::Mid));
            p.drawLine(x0, lane.bottom() + 1, x1, lane.bottom() + 1);
        }
        const QPolygonF& top = upper[std::size_t(c)];
        if (top.isEmpty()) continue;
        QPainterPath path;
        if (samples) {
            path.addPolygon(top);
        } else {
            QPolygonF shape = top;
            const QPolygonF& low = lower[std::size_t(c)];
            for (auto it = low.rbegin(); it != low.rend(); ++it) shape.append(*it);
            path.addPolygon(shape);
            path.closeSubpath();
        }
        auto draw = [&](const QColor& colour) {
            if (!samples) {
                p.fillPath(path, colour);
                return;
            }
            p.setRenderHint(QPainter::Antialiasing, true);
            p.strokePath(path, QPen(colour, 1.5));
            if (!dots) return;
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            for (const QPointF& pt : top) p.drawEllipse(pt, 2.5, 2.5);
            p.setBrush(Qt::NoBrush);
        };
        draw(wave);
        if (r->hasSelection()) {
            const double sx0 = frameToX(double(r->selectionStart())), sx1 = frameToX(double(r->selectionEnd()));
            p.save();
            p.setClipRect(QRectF(sx0, lane.top(), sx1 - sx0, lane.height()), Qt::IntersectClip);
            draw(waveSelected);
            p.restore();
        }
    }
}

void WaveformView::paintGutter(QPainter& p, const QRect& gutter) {
    const QPalette& pal = palette();
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    p.setFont(small);
    const QFontMetrics fm(small);
    QColor text = pal.color(QPalette::WindowText);
    text.setAlpha(170);
    const int n = laneCount();
    for (int c = 0; c < n; ++c) {
        const QRect lane = laneRect(c);
        const double mid = lane.top() + lane.height() / 2.0;
        const double half = lane.height() / 2.0 - 1.0;
        const QRect labels(gutter.left(), lane.top(), gutter.width() - 6, lane.height());
        p.setPen(text);
        if (n > 1) {
            const QString name = n == 2 ? (c == 0 ? tr("L") : tr("R")) : QString::number(c + 1);
            QFont bold = small;
            bold.setBold(true);
            p.setFont(bold);
            p.drawText(QRect(gutter.left() + 6, lane.top() + 2, 20, fm.height()), Qt::AlignLeft | Qt::AlignTop, name);
            p.setFont(small);
        }
        // Amplitude marks where they fit: 0, ±0.5, ±1.
        auto mark = [&](double value, const QString& label) {
            const double y = mid - value * half;
            p.drawLine(QPointF(gutter.right() - 3, y), QPointF(gutter.right() + 1, y));
            QRectF box(labels.left(), y - fm.height() / 2.0, labels.width(), fm.height());
            box.moveTop(std::clamp(box.top(), double(lane.top()), double(lane.bottom() + 1) - fm.height()));
            p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, label);
        };
        mark(0.0, QStringLiteral("0"));
        if (lane.height() >= 4 * fm.height()) {
            mark(0.5, QStringLiteral("0.5"));
            mark(-0.5, QStringLiteral("−0.5"));
        }
        if (lane.height() >= 6 * fm.height() || (n == 1 && lane.height() >= 3 * fm.height())) {
            mark(1.0, QStringLiteral("1"));
            mark(-1.0, QStringLiteral("−1"));
        }
    }
}

}  // namespace latent
