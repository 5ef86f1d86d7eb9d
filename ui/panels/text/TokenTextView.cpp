#include "panels/text/TokenTextView.h"

#include <QHelpEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace latent {

double TokenSpan::probability() const {
    double p = 1.0;
    for (float lp : logprobs) p = std::min(p, std::exp(double(lp)));
    return p;
}

TokenTextView::TokenTextView(QWidget* parent) : QTextEdit(parent) {
    setReadOnly(true);
    setAcceptRichText(false);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
}

void TokenTextView::clearTokens() {
    clear();
    m_spans.clear();
    m_pending = TokenSpan{};
}

void TokenTextView::appendDelta(const TextDelta& d) {
    m_pending.ids.insert(m_pending.ids.end(), d.tokenIds.begin(), d.tokenIds.end());
    m_pending.logprobs.insert(m_pending.logprobs.end(), d.logprobs.begin(), d.logprobs.end());
    m_pending.alternatives.insert(m_pending.alternatives.end(), d.alternatives.begin(), d.alternatives.end());
    if (d.text.empty()) return;
    // Follow the end only if the reader is already there.
    QScrollBar* bar = verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    const QString text = QString::fromStdString(d.text);
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    TokenSpan span = std::move(m_pending);
    m_pending = TokenSpan{};
    span.start = cursor.position();
    span.length = int(text.size());
    cursor.insertText(text, QTextCharFormat());
    if (m_likelihood) colourSpan(span);
    m_spans.push_back(std::move(span));
    if (atEnd) bar->setValue(bar->maximum());
}

void TokenTextView::setLikelihoodVisible(bool on) {
    if (m_likelihood == on) return;
    m_likelihood = on;
    QTextCursor all(document());
    all.select(QTextCursor::Document);
    all.setCharFormat(QTextCharFormat());
    if (on)
        for (const auto& s : m_spans) colourSpan(s);
}

QColor TokenTextView::likelihoodColor(double p) {
    // Surprise in bits: under 1 bit reads as expected, 8 bits or more as a shock.
    const double bits = -std::log2(std::max(p, 1e-12));
    const double t = std::clamp(bits / 8.0, 0.0, 1.0);
    QColor c = QColor::fromHsvF(float((1.0 - t) * 120.0 / 360.0), 0.85f, 0.95f);
    c.setAlphaF(float(0.25 + 0.35 * t));
    return c;
}

void TokenTextView::colourSpan(const TokenSpan& span) {
    if (span.logprobs.empty()) return;
    QTextCursor c(document());
    c.setPosition(span.start);
    c.setPosition(span.start + span.length, QTextCursor::KeepAnchor);
    QTextCharFormat f;
    f.setBackground(likelihoodColor(span.probability()));
    c.mergeCharFormat(f);
}

std::vector<std::int32_t> TokenTextView::tokenIds() const {
    std::vector<std::int32_t> out;
    for (const auto& s : m_spans) out.insert(out.end(), s.ids.begin(), s.ids.end());
    out.insert(out.end(), m_pending.ids.begin(), m_pending.ids.end());
    return out;
}

std::vector<std::int32_t> TokenTextView::tokenIdsBefore(int index) const {
    std::vector<std::int32_t> out;
    for (int i = 0; i < index && i < int(m_spans.size()); ++i)
        out.insert(out.end(), m_spans[std::size_t(i)].ids.begin(), m_spans[std::size_t(i)].ids.end());
    return out;
}

int TokenTextView::spanAt(int pos) const {
    const auto it = std::upper_bound(m_spans.begin(), m_spans.end(), pos,
                                     [](int p, const TokenSpan& s) { return p < s.start; });
    if (it == m_spans.begin()) return -1;
    const auto& s = *(it - 1);
    return pos < s.start + s.length ? int(it - 1 - m_spans.begin()) : -1;
}

QString TokenTextView::describeSpan(int index) const {
    const TokenSpan& s = m_spans[std::size_t(index)];
    // The token as the rival list writes it (␣ for a space); a lone token's
    // own characters when it is not among its top rivals.
    auto name = [&](std::size_t k) {
        QString t;
        if (k < s.alternatives.size())
            for (std::size_t j = 0; j < s.alternatives[k].ids.size() && j < s.alternatives[k].texts.size(); ++j)
                if (s.alternatives[k].ids[j] == s.ids[k]) t = QString::fromStdString(s.alternatives[k].texts[j]);
        if (t.isEmpty() && s.ids.size() == 1)
            for (int i = 0; i < s.length; ++i) {
                const QChar c = document()->characterAt(s.start + i);
                t += c == QLatin1Char(' ') ? QChar(0x2423) : c == QChar::ParagraphSeparator ? QChar(0x21B5) : c;
            }
        const QString id = QStringLiteral("<span style='color:gray'>#%1</span>").arg(s.ids[k]);
        return t.isEmpty() ? tr("Token %1").arg(id) : QStringLiteral("%1 %2").arg(t.toHtmlEscaped(), id);
    };
    QString html;
    for (std::size_t k = 0; k < s.ids.size(); ++k) {
        if (k < s.logprobs.size()) {
            const double p = std::exp(double(s.logprobs[k]));
            html += tr("<b>%1</b>: p = %2% (%3 bits of surprise)<br>")
                        .arg(name(k))
                        .arg(p * 100.0, 0, 'f', 1)
                        .arg(-std::log2(std::max(p, 1e-12)), 0, 'f', 1);
        } else {
            html += tr("<b>%1</b> (not scored: nothing comes before it)<br>").arg(name(k));
        }
        if (k < s.alternatives.size()) {
            html += QStringLiteral("<table cellspacing=0 cellpadding=1>");
            const auto& a = s.alternatives[k];
            for (std::size_t j = 0; j < a.ids.size(); ++j) {
                const bool chosen = a.ids[j] == s.ids[k];
                const QString t = QString::fromStdString(j < a.texts.size() ? a.texts[j] : std::string()).toHtmlEscaped();
                html += QStringLiteral("<tr><td>%1%2%3</td><td align=right>&nbsp;&nbsp;%4%</td></tr>")
                            .arg(chosen ? QStringLiteral("<b>") : QString(), t,
                                 chosen ? QStringLiteral("</b>") : QString())
                            .arg(std::exp(double(a.logprobs[j])) * 100.0, 0, 'f', 1);
            }
            html += QStringLiteral("</table>");
        }
    }
    if (!s.alternatives.empty()) html += tr("<i>Click to regenerate from here with another token.</i>");
    return html;
}

bool TokenTextView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int index = spanAt(cursorForPosition(viewport()->mapFromGlobal(help->globalPos())).position());
        if (index >= 0 && !m_spans[std::size_t(index)].ids.empty()) {
            QToolTip::showText(help->globalPos(), describeSpan(index), this);
        } else {
            QToolTip::hideText();
            e->ignore();
        }
        return true;
    }
    return QTextEdit::event(e);
}

void TokenTextView::mousePressEvent(QMouseEvent* e) {
    m_pressPos = e->pos();
    QTextEdit::mousePressEvent(e);
}

void TokenTextView::mouseReleaseEvent(QMouseEvent* e) {
    QTextEdit::mouseReleaseEvent(e);
    // A click, not a drag to select text.
    if (e->button() != Qt::LeftButton || (e->pos() - m_pressPos).manhattanLength() > 4 || textCursor().hasSelection())
        return;
    const int index = spanAt(cursorForPosition(e->pos()).position());
    if (index >= 0 && !m_spans[std::size_t(index)].alternatives.empty())
        showAlternatives(index, viewport()->mapToGlobal(e->pos()));
}

void TokenTextView::showAlternatives(int index, const QPoint& globalPos) {
    const TokenSpan& s = m_spans[std::size_t(index)];
    const TokenAlternatives& a = s.alternatives.front();
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("tokenAlternatives"));
    menu.addSection(tr("Continue with"));
    for (std::size_t j = 0; j < a.ids.size(); ++j) {
        const QString label = QStringLiteral("%1\t%2%")
                                  .arg(QString::fromStdString(j < a.texts.size() ? a.texts[j] : std::string()))
                                  .arg(std::exp(double(a.logprobs[j])) * 100.0, 0, 'f', 1);
        QAction* act = menu.addAction(label);
        const std::int32_t id = a.ids[j];
        if (id == s.ids.front()) {
            act->setCheckable(true);
            act->setChecked(true);
        }
        connect(act, &QAction::triggered, this, [this, index, id] { Q_EMIT alternativeChosen(index, id); });
    }
    menu.exec(globalPos);
}

}  // namespace latent
