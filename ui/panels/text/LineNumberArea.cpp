#include "panels/text/LineNumberArea.h"

#include "panels/text/CodeEditor.h"

namespace latent {

LineNumberArea::LineNumberArea(CodeEditor* editor) : QWidget(editor), m_editor(editor) {}

QSize LineNumberArea::sizeHint() const { return {m_editor->lineNumberAreaWidth(), 0}; }

void LineNumberArea::paintEvent(QPaintEvent* event) { m_editor->paintLineNumbers(event); }

}  // namespace latent
