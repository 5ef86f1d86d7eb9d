#pragma once
// The log-mel spectrogram of a take (MelSpectrogram, channels mixed to mono),
// low bands at the bottom, coloured with the perceptual "magma" map
// (computed in code). Each pixel column shows the per-band maximum of the
// columns under it, read from the spectrogram's pyramid, so paint cost does
// not grow with the take. Interaction and the ruler: AudioTimeView.
#include "widgets/AudioTimeView.h"

#include <QImage>

#include <array>
#include <cstdint>
#include <vector>

namespace latent {

class SpectrogramView : public AudioTimeView {
    Q_OBJECT
public:
    explicit SpectrogramView(QWidget* parent = nullptr);

    // The dB span the colours cover (default −80 … 0 dB re full scale).
    void setDisplayRange(float floorDb, float ceilDb);
    float floorDb() const { return m_floorDb; }
    float ceilDb() const { return m_ceilDb; }

    // Magma at t in [0, 1] (black → purple → orange → pale yellow).
    static QRgb colourAt(double t);
    // The y of `hz` on the frequency axis, in widget coordinates.
    double yForHz(double hz) const;

    QSize sizeHint() const override;

protected:
    void paintContent(QPainter& p, const QRect& dirty) override;
    void paintGutter(QPainter& p, const QRect& gutter) override;
    qint64 growthMarginFrames() const override;

private:
    std::array<QRgb, 256> m_lut{};
    float m_floorDb = -80.0f;
    float m_ceilDb = 0.0f;
    std::vector<std::uint16_t> m_column;
    std::vector<std::uint8_t> m_levels;  // quantised dB → colour index
    QImage m_strip;
};

}  // namespace latent
