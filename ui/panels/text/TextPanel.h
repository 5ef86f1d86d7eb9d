#pragma once
// Text generation: a prompt editor and an output view that streams the job's
// text deltas as they arrive.
#include "panels/GenerationPanel.h"

class QPlainTextEdit;

namespace latent {

class TextPanel : public GenerationPanel {
    Q_OBJECT
public:
    explicit TextPanel(Studio& studio, QWidget* parent = nullptr);

    QPlainTextEdit* promptEditor() const { return m_promptEdit; }
    QPlainTextEdit* outputView() const { return m_output; }

protected:
    void fillRequest(JobRequest& request) override;
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;
    bool wantsPrompt(const QString& task) const override;
    void saveExtraState(QSettings& settings) const override;
    void restoreExtraState(QSettings& settings) override;

private:
    QPlainTextEdit* m_promptEdit = nullptr;
    QPlainTextEdit* m_output = nullptr;
};

}  // namespace latent
