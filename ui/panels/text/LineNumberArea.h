#pragma once
// The gutter beside the code editor; the editor paints the numbers.
#include <QWidget>

namespace latent {

class CodeEditor;

class LineNumberArea : public QWidget {
public:
    explicit LineNumberArea(CodeEditor* editor);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    CodeEditor* m_editor;
};

}  // namespace latent
