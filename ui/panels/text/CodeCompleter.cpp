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
    connect(editor, &CodeEditor::ghostAccepted, this, [this] {
        m_job = 0;  // the suggestion is text now; the edit starts the next one
    });
    connect(editor, &CodeEditor::ghostDismissed, this, [this] {
        m_timer.stop();
        if (m_job && m_studio.bridge()) m_studio.bridge()->cancel(m_job);
        m_job = 0;
    });
}

void CodeCompleter::setEnabled(bool on) {
    m_enabled = on;
    if (!on) {
        m_timer.stop();
        m_editor->clearGhost();
        if (m_job && m_studio.bridge()) m_studio.bridge()->cancel(m_job);
        m_job = 0;
    }
}

void CodeCompleter::onEdited() {
    if (!m_enabled) return;
    m_job = 0;  // whatever is running answers an older text
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
    if (!m_connected) {
        EngineBridge* b = m_studio.bridge();
        connect(b, &EngineBridge::jobChunk, this, &CodeCompleter::onChunk);
        connect(b, &EngineBridge::jobFinished, this, [this](const JobInfo& job, JobState, const Provenance&) { onEnded(job); });
        connect(b, &EngineBridge::jobFailed, this, [this](const JobInfo& job, ErrorKind, const QString&) { onEnded(job); });
        m_connected = true;
    }
    m_anchor = cursor.position();
    m_text.clear();
    m_job = m_studio.bridge()->submit(std::move(r));
}

void CodeCompleter::onChunk(const JobInfo& job, const ChunkPtr& chunk) {
    if (job.id != m_job || m_job == 0) return;
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

void CodeCompleter::onEnded(const JobInfo& job) {
    if (job.id != m_job || m_job == 0) return;
    if (!m_editor->ghostText().isEmpty()) Q_EMIT suggestionReady(m_editor->ghostText());
}

}  // namespace latent
