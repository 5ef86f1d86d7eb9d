#include "widgets/SpectrogramView.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "latent/media/MelSpectrogram.h"
#include "widgets/AudioViewData.h"

namespace latent {

QRgb SpectrogramView::colourAt(double t) {
    // Polynomial fit of matplotlib's magma (Matt Zucker, CC0), max error ~1/255.
    t = std::clamp(t, 0.0, 1.0);
    static constexpr double c[7][3] = {
        {-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
        {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
        {8.353717279216625, -3.577719514958484, 0.3144679030132573},
        {-27.66873308576866, 14.26473078096533, -13.64921318813922},
        {52.17613981234068, -27.94360607168351, 12.94416944238394},
        {-50.76852536473588, 29.04658282127291, 4.23415299384598},
        {18.65570506591883, -11.48977351997711, -5.601961508734096},
    };
    double rgb[3];
    for (int k = 0; k < 3; ++k) {
        double v = c[6][k];
        for (int i = 5; i >= 0; --i) v = v * t + c[i][k];
        rgb[k] = std::clamp(v, 0.0, 1.0);
    }
    return qRgb(int(std::lround(rgb[0] * 255)), int(std::lround(rgb[1] * 255)), int(std::lround(rgb[2] * 255)));
}

SpectrogramView::SpectrogramView(QWidget* parent) : AudioTimeView(parent) {
    setObjectName(QStringLiteral("spectrogramView"));
    setAccessibleName(tr("Spectrogram"));
    setAccessibleDescription(tr("The generated audio's log-mel spectrogram: time across, pitch up, loudness as colour"));
    for (std::size_t i = 0; i < m_lut.size(); ++i) m_lut[i] = colourAt(double(i) / double(m_lut.size() - 1));
    setDisplayRange(m_floorDb, m_ceilDb);
}

QSize SpectrogramView::sizeHint() const { return {640, 200}; }

void SpectrogramView::setDisplayRange(float floorDb, float ceilDb) {
    if (ceilDb <= floorDb) return;
    m_floorDb = floorDb;
    m_ceilDb = ceilDb;
    // Every quantised value's colour index, once (65536 entries).
    m_levels.resize(65536);
    for (std::size_t q = 0; q < m_levels.size(); ++q) {
        const double t = (double(MelSpectrogram::toDb(std::uint16_t(q))) - floorDb) / double(ceilDb - floorDb);
        m_levels[q] = std::uint8_t(std::clamp(std::lround(t * 255.0), 0l, 255l));
    }
    update();
}

qint64 SpectrogramView::growthMarginFrames() const {
    const MelSpectrogram* mel = data() ? data()->spectrogram() : nullptr;
    return mel ? mel->params().fftSize : 0;
}

double SpectrogramView::yForHz(double hz) const {
    const QRect c = contentRect();
    const MelSpectrogram* mel = data() ? data()->spectrogram() : nullptr;
    if (!mel) return c.bottom();
    const auto& prm = mel->params();
    const double lo = MelSpectrogram::hzToMel(prm.fMinHz), hi = MelSpectrogram::hzToMel(prm.fMaxHz);
    const double step = (hi - lo) / (prm.melBands + 1);
    // Band b's triangle peaks at mel point b+1 and fills row b (of melBands) of the image.
    const double band = (MelSpectrogram::hzToMel(hz) - lo) / step - 1.0;
    return c.top() + c.height() - (band + 0.5) / prm.melBands * c.height();
}

void SpectrogramView::paintContent(QPainter& p, const QRect& dirty) {
    const MelSpectrogram* mel = data() ? data()->spectrogram() : nullptr;
    if (!mel || mel->columns() == 0) return;
    const int bands = mel->bands();
    const double hop = mel->params().hop;
    const int w = dirty.width();
    // Exactly the strip's size: smooth scaling must not sample a stale column.
    if (m_strip.size() != QSize(w, bands)) m_strip = QImage(w, bands, QImage::Format_RGB32);
    m_column.resize(std::size_t(bands));
    const QRgb background = backgroundColor().rgb();
    qint64 lastFirst = -1, lastEnd = -1;
    int drawn = 0;
    for (int i = 0; i < w; ++i) {
        const int x = dirty.left() + i;
        const double f0 = xToFrame(x), f1 = xToFrame(x + 1);
        // Column k is centred on frame k·hop and stands for [k·hop − hop/2, k·hop + hop/2).
        qint64 first, end;
        if (f1 - f0 < hop) {
            first = qint64(std::floor((f0 + f1) / 2 / hop + 0.5));
            end = first + 1;
        } else {
            first = qint64(std::floor(f0 / hop + 0.5));
            end = std::max(first + 1, qint64(std::floor(f1 / hop + 0.5)));
        }
        const bool have = f1 > 0 && first >= 0 && first < mel->columns();
        if (have && (first != lastFirst || end != lastEnd)) {
            mel->columnMax(first, end, m_column);
            lastFirst = first;
            lastEnd = end;
        }
        for (int b = 0; b < bands; ++b) {
            auto* row = reinterpret_cast<QRgb*>(m_strip.scanLine(bands - 1 - b));
            row[i] = have ? m_lut[m_levels[m_column[std::size_t(b)]]] : background;
        }
        if (have) drawn = i + 1;
    }
    if (drawn == 0) return;
    const QRect c = contentRect();
    // Bands are stretched to the height (smoothly); time stays 1:1 with pixels.
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(QRectF(dirty.left(), c.top(), w, c.height()), m_strip);
}

void SpectrogramView::paintGutter(QPainter& p, const QRect& gutter) {
    const MelSpectrogram* mel = data() ? data()->spectrogram() : nullptr;
    if (!mel) return;
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    p.setFont(small);
    const QFontMetrics fm(small);
    QColor text = palette().color(QPalette::WindowText);
    text.setAlpha(170);
    p.setPen(text);
    const auto& prm = mel->params();
    const QRect c = contentRect();
    // Round frequencies, coarse first, then finer ones where they fit.
    static constexpr double kMajor[] = {100, 200, 500, 1000, 2000, 5000, 10000, 20000};
    static constexpr double kMinor[] = {50, 300, 700, 1500, 3000, 7000, 15000};
    std::vector<double> used;
    auto fits = [&](double y) {
        if (y < c.top() + fm.height() / 2.0 || y > c.bottom() - fm.height() / 2.0) return false;
        return std::none_of(used.begin(), used.end(), [&](double u) { return std::abs(u - y) < fm.height() + 2; });
    };
    auto label = [&](double hz) {
        if (hz < prm.fMinHz || hz > prm.fMaxHz) return;
        const double y = yForHz(hz);
        if (!fits(y)) return;
        used.push_back(y);
        const QString s = hz >= 1000 ? QStringLiteral("%1k").arg(hz / 1000.0) : QString::number(hz);
        p.drawLine(QPointF(gutter.right() - 3, y), QPointF(gutter.right() + 1, y));
        p.drawText(QRectF(gutter.left(), y - fm.height() / 2.0, gutter.width() - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, s);
    };
    for (double hz : kMajor) label(hz);
    for (double hz : kMinor) label(hz);
    if (fits(c.top() + fm.height() / 2.0 + 1))
        p.drawText(QRectF(gutter.left() + 6, c.top() + 1, gutter.width() - 12, fm.height()), Qt::AlignLeft | Qt::AlignTop,
                   tr("Hz"));
}

}  // namespace latent
