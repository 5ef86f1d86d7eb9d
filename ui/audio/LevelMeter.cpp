#include "audio/LevelMeter.h"

#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace latent {

namespace {
const QColor kGreen(0x2e, 0xa0, 0x43);  // the icon set's colours (generate, audio, stop)
const QColor kAmber(0xd9, 0x8e, 0x04);
const QColor kRed(0xe5, 0x48, 0x4d);
constexpr double kAmberDb = -12.0;
constexpr double kRedDb = -3.0;
}  // namespace

LevelMeter::LevelMeter(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("levelMeter"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Output level"));
    setToolTip(tr("Peak level of what is playing, in dBFS (the line holds the recent peak; red at 0 dBFS: clipping)"));
    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, &LevelMeter::decay);
    m_sinceLevel.start();
    m_sinceHold.start();
    m_sinceClip.start();
}

double LevelMeter::toDb(float peak) {
    if (!(peak > 0.0f)) return kFloorDb;
    return std::max(kFloorDb, 20.0 * std::log10(double(peak)));
}

void LevelMeter::setPeak(float peak) {
    decay();  // bring the fall up to now first
    const double db = toDb(peak);
    if (db >= m_levelDb) {
        m_levelDb = db;
        m_sinceLevel.restart();
    }
    if (db >= m_holdDb) {
        m_holdDb = db;
        m_sinceHold.restart();
        Q_EMIT peakHoldChanged(m_holdDb);
    }
    if (peak >= 1.0f) {
        m_clipped = true;
        m_sinceClip.restart();
    }
    if (!m_timer.isActive() && (m_levelDb > kFloorDb || m_holdDb > kFloorDb)) m_timer.start();
    update();
}

void LevelMeter::reset() {
    m_levelDb = m_holdDb = kFloorDb;
    m_clipped = false;
    m_timer.stop();
    Q_EMIT peakHoldChanged(m_holdDb);
    update();
}

void LevelMeter::decay() {
    const double seconds = double(m_sinceLevel.restart()) / 1000.0;
    m_levelDb = std::max(kFloorDb, m_levelDb - kFallDbPerSecond * seconds);
    if (m_sinceHold.elapsed() > kHoldMs && m_holdDb > kFloorDb) {
        // After the hold, the line falls as the bar does, never below it.
        const double held = std::max({kFloorDb, m_levelDb, m_holdDb - kFallDbPerSecond * seconds});
        if (held != m_holdDb) {
            m_holdDb = held;
            Q_EMIT peakHoldChanged(m_holdDb);
        }
    }
    if (m_clipped && m_sinceClip.elapsed() > kHoldMs) m_clipped = false;
    if (m_levelDb <= kFloorDb && m_holdDb <= kFloorDb && !m_clipped) m_timer.stop();
    update();
}

double LevelMeter::xFor(double db, const QRectF& bar) const {
    const double t = std::clamp((db - kFloorDb) / -kFloorDb, 0.0, 1.0);
    return bar.left() + t * bar.width();
}

void LevelMeter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const double clipW = std::max(4.0, height() * 0.6);
    const QRectF bar = frame.adjusted(2, 2, -clipW - 4, -2);

    p.setPen(QPen(pal.color(QPalette::Mid), 1.0));
    p.setBrush(pal.color(QPalette::Base).darker(pal.color(QPalette::Base).lightness() < 128 ? 120 : 106));
    p.drawRoundedRect(frame, 3, 3);

    // The scale, dim, then the lit part up to the level.
    QLinearGradient g(bar.topLeft(), bar.topRight());
    auto stop = [&](double db) { return (db - kFloorDb) / -kFloorDb; };
    g.setColorAt(0.0, kGreen);
    g.setColorAt(stop(kAmberDb) - 0.001, kGreen);
    g.setColorAt(stop(kAmberDb), kAmber);
    g.setColorAt(stop(kRedDb) - 0.001, kAmber);
    g.setColorAt(stop(kRedDb), kRed);
    g.setColorAt(1.0, kRed);
    p.setPen(Qt::NoPen);
    p.setOpacity(0.16);
    p.fillRect(bar, g);
    p.setOpacity(1.0);
    const double x = xFor(m_levelDb, bar);
    if (x > bar.left()) p.fillRect(QRectF(bar.left(), bar.top(), x - bar.left(), bar.height()), g);

    // Segment gaps every 3 dB, like an LED meter.
    QColor gap = pal.color(QPalette::Base);
    gap.setAlpha(140);
    for (double db = kFloorDb + 3; db < 0; db += 3) {
        const double gx = std::round(xFor(db, bar));
        p.fillRect(QRectF(gx, bar.top(), 1, bar.height()), gap);
    }
    if (m_holdDb > kFloorDb) {
        const double hx = xFor(m_holdDb, bar);
        p.fillRect(QRectF(hx - 1, bar.top(), 2, bar.height()), m_holdDb >= kRedDb ? kRed : pal.color(QPalette::Text));
    }
    // The clip light.
    const QRectF clip(bar.right() + 3, bar.top(), clipW, bar.height());
    p.setBrush(m_clipped ? kRed : kRed.darker(300));
    p.drawRoundedRect(clip, 1.5, 1.5);
}

}  // namespace latent
