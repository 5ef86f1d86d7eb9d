#include "panels/text/TextPanel.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTextCursor>
#include <QVBoxLayout>

namespace latent {

TextPanel::TextPanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Text, studio, parent) {
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);

    auto* top = new QWidget(splitter);
    auto* tl = new QVBoxLayout(top);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->setSpacing(4);
    tl->addWidget(new QLabel(tr("Prompt"), top));
    m_promptEdit = new QPlainTextEdit(top);
    m_promptEdit->setObjectName(QStringLiteral("textPrompt"));
    m_promptEdit->setPlaceholderText(tr("Write the beginning of a text, or an instruction…"));
    tl->addWidget(m_promptEdit);

    auto* bottom = new QWidget(splitter);
    auto* bl = new QVBoxLayout(bottom);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->setSpacing(4);
    bl->addWidget(new QLabel(tr("Output"), bottom));
    m_output = new QPlainTextEdit(bottom);
    m_output->setObjectName(QStringLiteral("textOutput"));
    m_output->setReadOnly(true);
    m_output->setPlaceholderText(tr("Generated text streams in here, token by token."));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    mono.setPointSizeF(mono.pointSizeF() * 1.1);
    m_output->setFont(mono);
    bl->addWidget(m_output);

    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setSizes({200, 400});
    setOutputWidget(splitter);
    finishSetup();
}

bool TextPanel::wantsPrompt(const QString&) const { return false; }

void TextPanel::fillRequest(JobRequest& request) { request.inputs.prompt = m_promptEdit->toPlainText().toStdString(); }

void TextPanel::jobStarting(const JobRequest&) { m_output->clear(); }

void TextPanel::chunkArrived(const JobInfo&, const Chunk& chunk) {
    const auto* delta = std::get_if<TextDelta>(&chunk);
    if (!delta || delta->text.empty()) return;
    // Follow the end only if the reader is already there.
    QScrollBar* bar = m_output->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(QString::fromStdString(delta->text));
    if (atEnd) bar->setValue(bar->maximum());
}

void TextPanel::saveExtraState(QSettings& settings) const {
    settings.setValue(QStringLiteral("textPrompt"), m_promptEdit->toPlainText());
}

void TextPanel::restoreExtraState(QSettings& settings) {
    m_promptEdit->setPlainText(settings.value(QStringLiteral("textPrompt")).toString());
}

}  // namespace latent
