#include "panels/text/CodeEditor.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QTextBlock>

#include "panels/text/LineNumberArea.h"
#include "panels/text/PythonHighlighter.h"

namespace latent {

CodeEditor::CodeEditor(QWidget* parent) : QPlainTextEdit(parent), m_gutter(new LineNumberArea(this)) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 4);
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
    // Moving the cursor or typing elsewhere makes a suggestion stale.
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        if (!m_ghost.isEmpty() && textCursor().position() != m_ghostAnchor) clearGhost();
    });
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeEditor::setLanguage(const QString& language) {
    if (language == m_language) return;
    m_language = language;
    delete m_highlighter;
    m_highlighter = language == QLatin1String("python") ? new PythonHighlighter(document()) : nullptr;
}

void CodeEditor::setGhostText(const QString& text) {
    m_ghost = text;
    m_ghostAnchor = textCursor().position();
    viewport()->update();
}

void CodeEditor::clearGhost() {
    if (m_ghost.isEmpty()) return;
    m_ghost.clear();
    m_ghostAnchor = -1;
    viewport()->update();
}

void CodeEditor::acceptGhost() {
    if (m_ghost.isEmpty()) return;
    const QString text = m_ghost;
    clearGhost();
    textCursor().insertText(text);
    Q_EMIT ghostAccepted(text);
}

bool CodeEditor::event(QEvent* e) {
    // Keep Tab and Esc for the suggestion instead of focus change or the
    // panel's Stop shortcut.
    if (e->type() == QEvent::ShortcutOverride && !m_ghost.isEmpty()) {
        auto* k = static_cast<QKeyEvent*>(e);
        if (k->key() == Qt::Key_Escape || k->key() == Qt::Key_Tab) {
            e->accept();
            return true;
        }
    }
    return QPlainTextEdit::event(e);
}

void CodeEditor::keyPressEvent(QKeyEvent* e) {
    if (!m_ghost.isEmpty()) {
        if (e->key() == Qt::Key_Tab && e->modifiers() == Qt::NoModifier) {
            acceptGhost();
            return;
        }
        if (e->key() == Qt::Key_Escape) {
            clearGhost();
            Q_EMIT ghostDismissed();
            return;
        }
        clearGhost();  // typing on discards the suggestion
    }
    if (e->key() == Qt::Key_Tab && e->modifiers() == Qt::NoModifier) {
        textCursor().insertText(QStringLiteral("    "));  // code wants spaces
        return;
    }
    if (e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) {
        // Keep the indentation of the line above, one level more after ':'.
        const QString line = textCursor().block().text().left(textCursor().positionInBlock());
        int indent = 0;
        while (indent < line.size() && line[indent] == QLatin1Char(' ')) ++indent;
        if (m_language == QLatin1String("python") && line.trimmed().endsWith(QLatin1Char(':'))) indent += 4;
        textCursor().insertText(QStringLiteral("\n") + QString(indent, QLatin1Char(' ')));
        return;
    }
    QPlainTextEdit::keyPressEvent(e);
}

void CodeEditor::paintEvent(QPaintEvent* e) {
    QPlainTextEdit::paintEvent(e);
    if (m_ghost.isEmpty() || textCursor().position() != m_ghostAnchor) return;
    QPainter p(viewport());
    p.setFont(font());
    QColor grey = palette().color(QPalette::Text);
    grey.setAlphaF(0.42f);
    p.setPen(grey);
    const QRect caret = cursorRect();
    const QFontMetrics fm(font());
    const int left = int(contentOffset().x() + document()->documentMargin());
    const QStringList lines = m_ghost.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const int x = i == 0 ? caret.left() + 1 : left;
        const int y = caret.top() + i * fm.lineSpacing() + fm.ascent();
        p.drawText(x, y, lines[i]);
    }
}

int CodeEditor::lineNumberAreaWidth() const {
    int digits = 1;
    for (int n = std::max(1, blockCount()); n >= 10; n /= 10) ++digits;
    return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(digits, 3);
}

void CodeEditor::updateGutter(const QRect& rect, int dy) {
    if (dy) m_gutter->scroll(0, dy);
    else m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
}

void CodeEditor::resizeEvent(QResizeEvent* e) {
    QPlainTextEdit::resizeEvent(e);
    const QRect r = contentsRect();
    m_gutter->setGeometry(QRect(r.left(), r.top(), lineNumberAreaWidth(), r.height()));
}

void CodeEditor::paintLineNumbers(QPaintEvent* event) {
    QPainter p(m_gutter);
    p.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QColor numberColour = palette().color(QPalette::Text);
    numberColour.setAlphaF(0.45f);
    p.setPen(numberColour);
    p.setFont(font());
    QTextBlock block = firstVisibleBlock();
    int top = int(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int bottom = top + int(blockBoundingRect(block).height());
        if (block.isVisible() && bottom >= event->rect().top())
            p.drawText(0, top, m_gutter->width() - 6, fontMetrics().height(), Qt::AlignRight,
                       QString::number(block.blockNumber() + 1));
        block = block.next();
        top = bottom;
    }
}

}  // namespace latent
