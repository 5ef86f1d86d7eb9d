#include "panels/text/CodeCompleter.h"

#include <QTextBlock>

#include "app/Studio.h"
#include "latent/qt/EngineBridge.h"
#include "panels/text/CodeEditor.h"

namespace latent {
namespace {

constexpr int kMaxContextChars = 6000;  // the prompt: the code just before the cursor
constexpr int kMaxGhostLines = 8;

}  // namespace

CodeCompleter::CodeCompleter(Studio& studio, CodeEditor* editor, std::function<bool(JobRequest&)> request,
                             QObject* parent)
    : QObject(parent), m_studio(studio), m_editor(editor), m_fill(std::move(request)) {
    m_timer.setSingleShot(true);
    m_timer.setInterval(350);
    connect(&m_timer, &QTimer::timeout, this, &CodeCompleter::request);
    connect(editor, &QPlainTextEdit::textChanged, this, &CodeCompleter::onEdited);
    // Accepted, the suggestion is text now: the edit starts the next one.
    connect(editor, &CodeEditor::ghostAccepted, this, [this] { drop(false); });
    connect(editor, &CodeEditor::ghostDismissed, this, [this] {
        m_timer.stop();
        drop(true);
    });
}

void CodeCompleter::drop(bool cancel) {
    if (cancel && m_job) m_job->cancel();
    m_job.reset();
}

void CodeCompleter::setEnabled(bool on) {
    m_enabled = on;
    if (!on) {
        m_timer.stop();
        m_editor->clearGhost();
        drop(true);
    }
}

void CodeCompleter::onEdited() {
    if (!m_enabled) return;
    drop(false);  // whatever is running answers an older text (the lane replaces it)
    m_text.clear();
    m_timer.start();
}

void CodeCompleter::request() {
    if (!m_enabled || !m_studio.bridge()) return;
    const QTextCursor cursor = m_editor->textCursor();
    // Only at the end of a line: ghost text over existing characters would hide them.
    if (cursor.hasSelection() || cursor.positionInBlock() != cursor.block().length() - 1) return;
    const QString before = m_editor->toPlainText().left(cursor.position());
    if (before.trimmed().isEmpty()) return;
    JobRequest r;
    if (!m_fill(r)) return;
    r.inputs.prompt = before.right(kMaxContextChars).toStdString();
    r.lane = kLane;
    r.priority = 10;  // interactive: ahead of queued batch work
    r.label = "code completion";
    // Suggestions are not results: they come and go with each pause in typing
    // (the engine keeps no lane job anyway; this says so here too).
    r.record = false;
    m_anchor = cursor.position();
    m_text.clear();
    m_job = m_studio.bridge()->submit(std::move(r));
    connect(m_job.get(), &JobHandle::chunk, this, [this](const JobInfo&, const ChunkPtr& c) { onChunk(c); });
    connect(m_job.get(), &JobHandle::finished, this, [this](const JobInfo&, JobState, const Provenance&) { onEnded(); });
    connect(m_job.get(), &JobHandle::failed, this, [this](const JobInfo&, ErrorKind, const QString&) { onEnded(); });
}

void CodeCompleter::onChunk(const ChunkPtr& chunk) {
    const auto* d = std::get_if<TextDelta>(chunk.get());
    if (!d || d->text.empty()) return;
    m_text += QString::fromStdString(d->text);
    if (m_editor->textCursor().position() != m_anchor) return;
    QString shown = m_text;
    const QStringList lines = shown.split(QLatin1Char('\n'));
    if (lines.size() > kMaxGhostLines) shown = lines.mid(0, kMaxGhostLines).join(QLatin1Char('\n'));
    // Trailing blank lines would only push the view around.
    while (shown.endsWith(QLatin1Char('\n'))) shown.chop(1);
    if (!shown.isEmpty()) m_editor->setGhostText(shown);
}

void CodeCompleter::onEnded() {
    if (!m_editor->ghostText().isEmpty()) Q_EMIT suggestionReady(m_editor->ghostText());
}

}  // namespace latent
