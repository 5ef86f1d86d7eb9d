// The text panel's widgets: the token view (spans, likelihood colours, hover
// card, ids for Continue and regenerate-from-token) and the code editor's
// ghost text (Tab accepts, Esc dismisses, typing discards).
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>

#include <cmath>

#include "panels/text/CodeEditor.h"
#include "panels/text/TokenTextView.h"

using namespace latent;

namespace {

TextDelta delta(const std::string& text, std::int32_t id, float p) {
    TextDelta d;
    d.text = text;
    d.tokenIds = {id};
    d.logprobs = {std::log(p)};
    TokenAlternatives a;
    a.ids = {id, id + 1, id + 2};
    a.logprobs = {std::log(p), std::log(p / 2), std::log(p / 4)};
    a.texts = {"\xE2\x90\xA3" "a", "b", "c"};
    d.alternatives = {a};
    return d;
}

}  // namespace

class TstTextWidgets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tokenViewRecordsSpans() {
        TokenTextView view;
        view.appendDelta(delta("Hello", 10, 0.9f));
        view.appendDelta(delta(" wor", 11, 0.05f));
        // A character split over two tokens: the first has no text yet.
        TextDelta partial = delta("", 12, 0.5f);
        view.appendDelta(partial);
        view.appendDelta(delta("ld\xC3\xA9", 13, 0.8f));
        QCOMPARE(view.toPlainText(), QString::fromUtf8("Hello world\xC3\xA9"));
        QCOMPARE(int(view.spans().size()), 3);
        QCOMPARE(view.spans()[2].ids, (std::vector<std::int32_t>{12, 13}));
        QCOMPARE(view.tokenIds(), (std::vector<std::int32_t>{10, 11, 12, 13}));
        QCOMPARE(view.tokenIdsBefore(2), (std::vector<std::int32_t>{10, 11}));
        QCOMPARE(view.spanAt(0), 0);
        QCOMPARE(view.spanAt(6), 1);
        QCOMPARE(view.spanAt(9), 2);
        QVERIFY(std::abs(view.spans()[2].probability() - 0.5) < 1e-6);
        const QString card = view.describeSpan(1);
        QVERIFY2(card.contains(QLatin1String("p = 5.0%")), qPrintable(card));
        QVERIFY(card.contains(QLatin1String("Click to regenerate")));
        // The card names the token as its rival list does, and by id.
        QVERIFY2(card.contains(QString::fromUtf8("<b>\xE2\x90\xA3" "a <span")) && card.contains(QLatin1String("#11")),
                 qPrintable(card));
        // A token outside its own top rivals is named by its characters.
        TextDelta outside = delta(" sea", 40, 0.01f);
        outside.alternatives[0].ids = {1, 2, 3};
        view.appendDelta(outside);
        QVERIFY2(view.describeSpan(3).contains(QString::fromUtf8("\xE2\x90\xA3" "sea")), qPrintable(view.describeSpan(3)));
    }

    void likelihoodColoursAndClears() {
        TokenTextView view;
        view.appendDelta(delta("likely", 1, 0.95f));
        view.appendDelta(delta(" surprise", 2, 0.001f));
        auto format = [&](int pos) {
            QTextCursor c(view.document());
            c.setPosition(pos + 1);
            return c.charFormat();
        };
        auto background = [&](int pos) { return format(pos).background().color(); };
        QVERIFY(!format(1).hasProperty(QTextFormat::BackgroundBrush));
        view.setLikelihoodVisible(true);
        QVERIFY(format(1).hasProperty(QTextFormat::BackgroundBrush));
        const QColor likely = background(1), surprise = background(8);
        QVERIFY(likely.hueF() > surprise.hueF());  // green vs red
        view.setLikelihoodVisible(false);
        QVERIFY(!format(8).hasProperty(QTextFormat::BackgroundBrush));
        QVERIFY(TokenTextView::likelihoodColor(0.99).hueF() > 0.25f);
        QVERIFY(TokenTextView::likelihoodColor(1e-4).hueF() < 0.05f);
    }

    void ghostTextTabAcceptsEscDismissesTypingDiscards() {
        CodeEditor editor;
        editor.setLanguage(QStringLiteral("python"));
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setPlainText(QStringLiteral("def add(a, b):"));
        editor.moveCursor(QTextCursor::End);
        editor.setGhostText(QStringLiteral("\n    return a + b"));
        QSignalSpy accepted(&editor, &CodeEditor::ghostAccepted);
        QTest::keyClick(&editor, Qt::Key_Tab);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(editor.toPlainText(), QStringLiteral("def add(a, b):\n    return a + b"));
        QVERIFY(editor.ghostText().isEmpty());

        editor.setGhostText(QStringLiteral("  # done"));
        QSignalSpy dismissed(&editor, &CodeEditor::ghostDismissed);
        QTest::keyClick(&editor, Qt::Key_Escape);
        QCOMPARE(dismissed.count(), 1);
        QVERIFY(editor.ghostText().isEmpty());
        QCOMPARE(editor.toPlainText(), QStringLiteral("def add(a, b):\n    return a + b"));

        editor.setGhostText(QStringLiteral("\nprint(add(1, 2))"));
        QTest::keyClick(&editor, Qt::Key_X);
        QVERIFY(editor.ghostText().isEmpty());
        QVERIFY(editor.toPlainText().endsWith(QLatin1Char('x')));
        // Tab without a suggestion indents with spaces; Return keeps indentation.
        editor.setPlainText(QStringLiteral("if x:"));
        editor.moveCursor(QTextCursor::End);
        QTest::keyClick(&editor, Qt::Key_Return);
        QCOMPARE(editor.toPlainText(), QStringLiteral("if x:\n    "));
    }
};

QTEST_MAIN(TstTextWidgets)
#include "tst_TextWidgets.moc"
