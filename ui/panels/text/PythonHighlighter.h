#pragma once
// Syntax colours for Python in the code editor: keywords, built-ins,
// strings (triple-quoted ones across lines), comments, numbers, decorators
// and the names def/class introduce.
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <vector>

namespace latent {

class PythonHighlighter : public QSyntaxHighlighter {
public:
    explicit PythonHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        QTextCharFormat format;
        int group = 0;
    };
    std::vector<Rule> m_rules;
    QTextCharFormat m_string, m_comment;
};

}  // namespace latent
