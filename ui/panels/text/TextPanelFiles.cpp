// The text panel's export: the text as .txt/.md (or the code file) and its
// provenance (model, task, sampling settings, seed, prompt) in a sidecar
// .json, both written atomically.
#include <QFileDialog>
#include <QFileInfo>
#include <QPlainTextEdit>

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"

#include "panels/text/CodeEditor.h"
#include "panels/text/TextPanel.h"
#include "panels/text/TokenTextView.h"

namespace latent {
namespace {

// The engine's atomic writer: one write policy for every export. The user
// picked the file in a save dialog that asked before replacing it, so a
// symlink means its target; a read-only file is still refused.
bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    try {
        writeFileAtomic(path.toStdString(), std::string_view(bytes.constData(), std::size_t(bytes.size())),
                        {.followSymlink = true});
        return true;
    } catch (const Error& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
}

}  // namespace

void TextPanel::exportDialog() {
    const bool code = mode() == Mode::Code;
    const QString filter = code ? tr("Python (*.py);;Any file (*)") : tr("Text (*.txt);;Markdown (*.md)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export text"), code ? QStringLiteral("code.py")
                                                                                    : QStringLiteral("text.txt"),
                                                      filter);
    if (!path.isEmpty()) exportTo(path);
}

bool TextPanel::exportTo(const QString& path) {
    const bool code = mode() == Mode::Code;
    const QString text = code ? m_code->toPlainText() : m_promptEdit->toPlainText() + m_output->toPlainText();
    if (text.isEmpty()) {
        showError(tr("There is no text to export yet."));
        return false;
    }
    nlohmann::json side = parseJson(provenanceToJson(lastProvenance()), "provenance");
    side["exported_text"] = QFileInfo(path).fileName().toStdString();
    side["mode"] = code ? "code" : "write";
    if (!code) side["generated_chars"] = m_output->toPlainText().size();
    QString error;
    if (!writeAtomically(path, text.toUtf8(), &error) ||
        !writeAtomically(path + QStringLiteral(".json"), QByteArray::fromStdString(dumpJson(side, 2)), &error)) {
        showError(tr("Could not export to %1: %2").arg(path, error));
        return false;
    }
    return true;
}

}  // namespace latent
