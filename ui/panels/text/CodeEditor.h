#pragma once
// The code mode editor: monospace, line numbers, syntax highlighting, and
// ghost text, a completion shown greyed at the cursor that Tab accepts, Esc
// dismisses and typing discards.
#include <QPlainTextEdit>

class QSyntaxHighlighter;

namespace latent {

class LineNumberArea;

class CodeEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit CodeEditor(QWidget* parent = nullptr);

    // "python" highlights Python; anything else shows plain text.
    void setLanguage(const QString& language);
    QString language() const { return m_language; }

    // Shows `text` greyed at the cursor; it stays while the cursor does not move.
    void setGhostText(const QString& text);
    QString ghostText() const { return m_ghost; }
    void clearGhost();
    // Inserts the ghost text as real text.
    void acceptGhost();

    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent* event);

Q_SIGNALS:
    void ghostAccepted(const QString& text);
    void ghostDismissed();

protected:
    bool event(QEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void updateGutter(const QRect& rect, int dy);

    LineNumberArea* m_gutter = nullptr;
    QSyntaxHighlighter* m_highlighter = nullptr;
    QString m_language;
    QString m_ghost;
    int m_ghostAnchor = -1;
};

}  // namespace latent
