#pragma once
// Text generation. Write mode: a prompt editor and an output that streams
// token by token, with time to first token and tokens/s, Stop (Esc),
// Continue, Regenerate with a new seed, Score text, and the likelihood view
// (tokens coloured by probability, top-5 rivals on hover, click one to
// regenerate from there). Code mode: a code editor with ghost-text
// completions from an interactive lane. Export writes .txt/.md (or the code
// file) with provenance in a sidecar .json.
#include <QElapsedTimer>

#include <optional>
#include <vector>

#include "panels/GenerationPanel.h"

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabBar;

namespace latent {

class CodeCompleter;
class CodeEditor;
class TokenTextView;

class TextPanel : public GenerationPanel {
    Q_OBJECT
public:
    explicit TextPanel(Studio& studio, QWidget* parent = nullptr);

    // Persisted (settings "editorMode"): start at 1, never renumber.
    enum class Mode { Invalid = 0, Write = 1, Code = 2 };
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    QPlainTextEdit* promptEditor() const { return m_promptEdit; }
    TokenTextView* outputView() const { return m_output; }
    CodeEditor* codeEditor() const { return m_code; }
    CodeCompleter* completer() const { return m_completer; }
    QCheckBox* likelihoodToggle() const { return m_likelihood; }
    QLabel* statsLabel() const { return m_stats; }

    // Also puts the prompt where it came from: the Write prompt, or for a
    // code completion the code editor (Code mode).
    bool applyProvenance(const Provenance& provenance, QString* why = nullptr) override;

public Q_SLOTS:
    JobId continueText();
    JobId regenerate();
    JobId scoreText();
    JobId regenerateFrom(int spanIndex, std::int32_t tokenId);
    // Writes the text (and its sidecar .json); returns false with a banner on failure.
    bool exportTo(const QString& path);
    void exportDialog();

protected:
    void fillRequest(JobRequest& request) override;
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;
    void jobEnded(JobState state) override;
    bool wantsPrompt(const QString& task) const override;
    void saveExtraState(QSettings& settings) const override;
    void restoreExtraState(QSettings& settings) override;

private:
    QWidget* buildToolbar();
    void updateStats();
    void updateLanguage();
    bool fillCompletion(JobRequest& request);
    // Submits a write or score job from the form with this task, continuation
    // tokens and (when asked) a fresh seed: Continue, Regenerate, Score.
    JobId submitWrite(const std::string& task, std::vector<std::int32_t> continuation, bool newSeed);

    Mode m_mode = Mode::Write;
    QTabBar* m_modeBar = nullptr;
    QStackedWidget* m_pages = nullptr;
    QPlainTextEdit* m_promptEdit = nullptr;
    TokenTextView* m_output = nullptr;
    CodeEditor* m_code = nullptr;
    CodeCompleter* m_completer = nullptr;
    QCheckBox* m_likelihood = nullptr;
    QPushButton* m_continue = nullptr;
    QPushButton* m_regenerate = nullptr;
    QPushButton* m_score = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_stats = nullptr;

    // The job being shown: its task, and for code mode where its text goes.
    std::string m_jobTask;
    int m_codeInsertAt = -1;
    std::optional<std::string> m_lastPrompt;  // the prompt of the output shown (Continue re-sends it)

    QElapsedTimer m_clock;
    double m_ttftMs = -1;
    int m_newTokens = 0;
    qint64 m_firstTokenMs = -1;
    std::map<std::string, double> m_metrics;
};

}  // namespace latent
