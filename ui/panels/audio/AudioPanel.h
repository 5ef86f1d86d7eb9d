#pragma once
// Audio generation. Until the waveform view and playback land (audio issue),
// the output area reports what the job streamed: duration, rate, channels and
// peak level, computed from the received blocks.
#include "panels/GenerationPanel.h"

class QLabel;

namespace latent {

class AudioPanel : public GenerationPanel {
    Q_OBJECT
public:
    explicit AudioPanel(Studio& studio, QWidget* parent = nullptr);

    double receivedSeconds() const;
    int sampleRate() const { return m_sampleRate; }

protected:
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;
    void jobEnded(JobState state) override;

private:
    void updateSummary(bool final);

    QLabel* m_summary = nullptr;
    int m_sampleRate = 0;
    int m_channels = 0;
    std::int64_t m_frames = 0;  // samples per channel
    float m_peak = 0;
};

}  // namespace latent
