#pragma once
// Image generation: streamed frames on a zoomable canvas, batches as a grid,
// and "Save image…" (PNG written atomically, with the job's provenance).
#include "panels/GenerationPanel.h"

class QAction;
class QLabel;
class QToolButton;

namespace latent {

class Canvas;

class ImagePanel : public GenerationPanel {
    Q_OBJECT
public:
    explicit ImagePanel(Studio& studio, QWidget* parent = nullptr);

    Canvas* canvas() const { return m_canvas; }
    QAction* saveAction() const { return m_saveAction; }
    // Writes the shown image as PNG; on failure returns false and sets `error`.
    bool saveImage(const QString& path, QString* error = nullptr) const;

public Q_SLOTS:
    void saveImageInteractive();

protected:
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;
    void jobEnded(JobState state) override;

private:
    QWidget* buildOutput();
    void updateZoomLabel();

    Canvas* m_canvas = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QLabel* m_frameInfo = nullptr;
    QAction* m_saveAction = nullptr;
    QString m_suggestedName;
};

}  // namespace latent
