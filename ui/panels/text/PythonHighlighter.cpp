#include "panels/text/PythonHighlighter.h"

namespace latent {
namespace {

QTextCharFormat colourFormat(const QColor& colour, bool bold = false, bool italic = false) {
    QTextCharFormat f;
    f.setForeground(colour);
    if (bold) f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

}  // namespace

PythonHighlighter::PythonHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
    // Mid-saturation colours that read on light and dark themes alike.
    const auto keyword = colourFormat(QColor(0x8e, 0x5c, 0xd9), true);
    const auto builtin = colourFormat(QColor(0x2f, 0x8f, 0xb8));
    const auto number = colourFormat(QColor(0xc0, 0x7a, 0x1a));
    const auto decorator = colourFormat(QColor(0xb0, 0x6b, 0x2d));
    const auto definition = colourFormat(QColor(0x26, 0x8b, 0xd2), true);
    m_string = colourFormat(QColor(0x4e, 0x9a, 0x2b));
    m_comment = colourFormat(QColor(0x80, 0x80, 0x80), false, true);
    m_rules.push_back({QRegularExpression(QStringLiteral(
                           R"(\b(and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|)"
                           R"(from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|)"
                           R"(yield|None|True|False|self|match|case)\b)")),
                       keyword});
    m_rules.push_back({QRegularExpression(QStringLiteral(
                           R"(\b(print|len|range|int|str|float|list|dict|set|tuple|bool|isinstance|super|open|)"
                           R"(enumerate|zip|map|filter|sorted|min|max|sum|any|all|getattr|setattr|hasattr|type|)"
                           R"(object|Exception|ValueError|TypeError|KeyError|IndexError|RuntimeError)\b)")),
                       builtin});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"(\b[0-9][0-9_]*(\.[0-9_]+)?([eE][+-]?[0-9]+)?j?\b|\b0[xob][0-9a-fA-F_]+\b)")),
                       number});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"(^\s*@[\w.]+)")), decorator});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"(\b(?:def|class)\s+(\w+))")), definition, 1});
}

void PythonHighlighter::highlightBlock(const QString& text) {
    for (const auto& r : m_rules) {
        auto it = r.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            setFormat(int(m.capturedStart(r.group)), int(m.capturedLength(r.group)), r.format);
        }
    }
    // Strings and comments last, scanning left to right so a '#' inside a
    // string is not a comment. Block state 1/2: inside ''' / """.
    int i = 0;
    const int n = int(text.size());
    int state = previousBlockState();
    if (state == 1 || state == 2) {
        const QString close = state == 1 ? QStringLiteral("'''") : QStringLiteral("\"\"\"");
        const int end = int(text.indexOf(close));
        if (end < 0) {
            setFormat(0, n, m_string);
            setCurrentBlockState(state);
            return;
        }
        setFormat(0, end + 3, m_string);
        i = end + 3;
    }
    setCurrentBlockState(0);
    while (i < n) {
        const QChar c = text[i];
        if (c == QLatin1Char('#')) {
            setFormat(i, n - i, m_comment);
            return;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            const QString triple(3, c);
            if (text.mid(i, 3) == triple) {
                const int end = int(text.indexOf(triple, i + 3));
                if (end < 0) {
                    setFormat(i, n - i, m_string);
                    setCurrentBlockState(c == QLatin1Char('\'') ? 1 : 2);
                    return;
                }
                setFormat(i, end + 3 - i, m_string);
                i = end + 3;
                continue;
            }
            int j = i + 1;
            while (j < n && text[j] != c) j += text[j] == QLatin1Char('\\') ? 2 : 1;
            setFormat(i, std::min(j + 1, n) - i, m_string);
            i = j + 1;
            continue;
        }
        ++i;
    }
}

}  // namespace latent
