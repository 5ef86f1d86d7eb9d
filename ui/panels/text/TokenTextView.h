#pragma once
// The output of the text panel: streams text deltas in and remembers which
// tokens made which characters. The likelihood view colours each token by
// how likely the model found it; hovering shows its top-5 rivals; clicking
// a token offers them to regenerate from there.
#include <QTextEdit>

#include <vector>

#include "panels/text/TokenSpan.h"

namespace latent {

class TokenTextView : public QTextEdit {
    Q_OBJECT
public:
    explicit TokenTextView(QWidget* parent = nullptr);

    void clearTokens();
    void appendDelta(const TextDelta& delta);
    void setLikelihoodVisible(bool on);
    bool likelihoodVisible() const { return m_likelihood; }

    const std::vector<TokenSpan>& spans() const { return m_spans; }
    // Every token id shown, in order (for Continue).
    std::vector<std::int32_t> tokenIds() const;
    // Token ids before span `index` (for regenerating from it).
    std::vector<std::int32_t> tokenIdsBefore(int index) const;
    // The span holding document position `pos`, or -1.
    int spanAt(int pos) const;
    // HTML for the hover card of span `index`.
    QString describeSpan(int index) const;

    // Background for a token of probability p: green (likely) to red (a surprise).
    static QColor likelihoodColor(double p);

Q_SIGNALS:
    // The user picked `tokenId` in place of span `index`'s token.
    void alternativeChosen(int index, std::int32_t tokenId);

protected:
    bool event(QEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;

private:
    void colourSpan(const TokenSpan& span);
    void showAlternatives(int index, const QPoint& globalPos);

    std::vector<TokenSpan> m_spans;
    TokenSpan m_pending;  // tokens whose characters have not arrived yet
    bool m_likelihood = false;
    QPoint m_pressPos;
};

}  // namespace latent
