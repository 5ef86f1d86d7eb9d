#pragma once
// Video generation: shows each streamed frame as it arrives, with its index
// and rate. The timeline and MP4 export arrive with the video issue.
#include "panels/GenerationPanel.h"

class QLabel;

namespace latent {

class Canvas;

class VideoPanel : public GenerationPanel {
    Q_OBJECT
public:
    explicit VideoPanel(Studio& studio, QWidget* parent = nullptr);

    Canvas* canvas() const { return m_canvas; }
    int framesReceived() const { return m_frames; }

protected:
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;

private:
    Canvas* m_canvas = nullptr;
    QLabel* m_info = nullptr;
    int m_frames = 0;
};

}  // namespace latent
