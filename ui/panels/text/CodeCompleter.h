#pragma once
// Ghost-text completion for the code editor: after a short pause at the end
// of a line it asks the model to continue the code on an interactive lane
// (a newer request replaces an older one, so typing never waits on the
// model) and streams the answer into the editor as ghost text.
#include <QObject>
#include <QTimer>

#include <functional>

#include "latent/JobRequest.h"
#include "latent/qt/JobHandle.h"
#include "latent/qt/MetaTypes.h"

namespace latent {

class CodeEditor;
class Studio;

class CodeCompleter : public QObject {
    Q_OBJECT
public:
    // `request` fills model, task and parameters of a completion job (the
    // panel's current choice); returns false when none can run now.
    CodeCompleter(Studio& studio, CodeEditor* editor, std::function<bool(JobRequest&)> request,
                  QObject* parent = nullptr);

    void setEnabled(bool on);
    bool isEnabled() const { return m_enabled; }
    void setDelayMs(int ms) { m_timer.setInterval(ms); }
    JobId currentJob() const { return m_job ? m_job->id() : 0; }

    static constexpr const char* kLane = "text-panel/complete";

Q_SIGNALS:
    // A suggestion finished arriving (for status text and tests).
    void suggestionReady(const QString& text);

private:
    void onEdited();
    void request();
    void onChunk(const ChunkPtr& chunk);
    void onEnded();
    void drop(bool cancel);  // forgets the job, cancelling it when asked

    Studio& m_studio;
    CodeEditor* m_editor;
    std::function<bool(JobRequest&)> m_fill;
    QTimer m_timer;
    bool m_enabled = true;
    JobHandlePtr m_job;  // the completion being written; dropped once the text moves on
    int m_anchor = -1;   // cursor position the suggestion belongs to
    QString m_text;
};

}  // namespace latent
