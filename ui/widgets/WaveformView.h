#pragma once
// The waveform of a take, one lane per channel, drawn from the take's peak
// mipmap (AudioPeaks): each pixel column shows the min/max of the frames it
// covers, so a two-hour take costs what a two-second one does. Zoomed in
// past one sample per pixel (while the take's samples still fit the peaks'
// budget) it draws a line through the samples, with dots once they are 6 px
// apart. The selected part is drawn brighter. Interaction and the ruler:
// AudioTimeView.
#include "widgets/AudioTimeView.h"

#include <vector>

#include "latent/media/AudioPeaks.h"

namespace latent {

class WaveformView : public AudioTimeView {
    Q_OBJECT
public:
    explicit WaveformView(QWidget* parent = nullptr);

    // Lane of `channel` (of channels()) in widget coordinates.
    QRect laneRect(int channel) const;

protected:
    void paintContent(QPainter& p, const QRect& dirty) override;
    void paintGutter(QPainter& p, const QRect& gutter) override;

private:
    int laneCount() const;

    std::vector<AudioPeaks::Range> m_column;
};

}  // namespace latent
