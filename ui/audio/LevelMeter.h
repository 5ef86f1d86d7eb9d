#pragma once
// A horizontal peak meter in dBFS (-60 .. 0): green to -12 dB, amber to
// -3 dB, red above, with a peak-hold line (held 1.5 s, then falling) and a
// clip light at 0 dBFS. Levels rise at once and fall at 24 dB/s, as meters
// in DAWs do, so a 30 Hz feed reads steadily.
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

namespace latent {

class LevelMeter : public QWidget {
    Q_OBJECT
public:
    static constexpr double kFloorDb = -60.0;
    static constexpr double kFallDbPerSecond = 24.0;
    static constexpr int kHoldMs = 1500;

    explicit LevelMeter(QWidget* parent = nullptr);

    // 20·log10(peak), clamped to kFloorDb (also for 0 and NaN).
    static double toDb(float peak);

    double levelDb() const { return m_levelDb; }      // the bar
    double peakHoldDb() const { return m_holdDb; }    // the hold line
    bool clipped() const { return m_clipped; }

    QSize sizeHint() const override { return {140, 14}; }
    QSize minimumSizeHint() const override { return {48, 8}; }

public Q_SLOTS:
    // A new peak (linear |sample|, 1.0 = 0 dBFS).
    void setPeak(float peak);
    void reset();

Q_SIGNALS:
    void peakHoldChanged(double db);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void decay();
    double xFor(double db, const QRectF& bar) const;

    double m_levelDb = kFloorDb;
    double m_holdDb = kFloorDb;
    bool m_clipped = false;
    QElapsedTimer m_sinceLevel;  // for the fall
    QElapsedTimer m_sinceHold;
    QElapsedTimer m_sinceClip;
    QTimer m_timer;
};

}  // namespace latent
