// The text panel end to end on the bundled text models and the real
// text-gpt plugin: tokens stream in with live statistics, Esc stops a job
// and keeps its text, the same seed writes the same text, the likelihood
// view carries probabilities and rivals and regenerates from a chosen
// token, Continue, Score text, export with its sidecar, and code mode's
// ghost-text completion (Tab accepts, Esc dismisses).
#include <QCheckBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "UiTestSupport.h"
#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/PluginHost.h"
#include "latent/library/ResultLibrary.h"
#include "latent/qt/EngineBridge.h"
#include "library/LibraryDock.h"
#include "library/ResultListModel.h"
#include "mainwindow/MainWindow.h"
#include "models/JobListModel.h"
#include "panels/text/CodeCompleter.h"
#include "panels/text/CodeEditor.h"
#include "panels/text/TextPanel.h"
#include "panels/text/TokenTextView.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {
const QString kProse = QStringLiteral("prose-gpt");
const QString kPython = QStringLiteral("python-gpt");
const QString kPrompt = QStringLiteral("The sea was");

ParamMap sampling(std::int64_t maxTokens, double temperature = 0.8) {
    return {{"max_new_tokens", maxTokens}, {"temperature", temperature}, {"top_k", std::int64_t(40)},
            {"top_p", 0.95},           {"repetition_penalty", 1.1},   {"stop", std::string()}};
}
}  // namespace

class tst_TextPanel : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_files;

    TextPanel* panel() const { return qobject_cast<TextPanel*>(m_window->panel(Modality::Text)); }
    JobState queueState(JobId id) const { return m_studio->jobs()->state(id); }

    bool waitForEnd(JobId id, int ms = 30000) {
        return id != 0 && QTest::qWaitFor([&] { return isTerminal(queueState(id)) && !panel()->isJobActive(); }, ms);
    }

    // Types the prompt and presses Generate with a fixed seed.
    JobId write(const QString& prompt, const ParamMap& params, std::uint64_t seed = 7) {
        TextPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        p->setMode(TextPanel::Mode::Write);
        if (!p->selectModel(kProse)) return 0;
        p->paramForm()->setValues(params);
        p->seedEdit()->setRandomEachTime(false);
        p->seedEdit()->setSeed(seed);
        p->promptEditor()->setPlainText(prompt);
        p->generateButton()->click();
        return p->currentJob();
    }

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        QVERIFY(m_files.isValid());
    }

    void init() {
        EngineConfig config = test::testEngineConfig();
        // The real plugins (ctest's LATENT_PLUGIN_PATH names the build's own,
        // which testEngineConfig() drops as the bundled dir) and the bundled
        // text models.
        config.pluginDirs.clear();
        for (const QString& dir : qEnvironmentVariable("LATENT_PLUGIN_PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts))
            config.pluginDirs.push_back(dir.toStdString());
        config.modelDirs = {std::filesystem::path(LATENT_SOURCE_DIR) / "resources/models"};
        m_studio = std::make_unique<Studio>();
        m_studio->startEngine(config, /*async=*/false);
        QVERIFY2(m_studio->isReady(), qPrintable(m_studio->startError()));
        bool text = false;
        for (const auto& r : m_studio->engine()->plugins().plugins()) text = text || r.id == "text-gpt";
#if LATENT_TEXT_PLUGIN_BUILT
        QVERIFY2(text, "the text-gpt plugin was built but did not load (see the log above)");
#else
        if (!text) QSKIP("the text-gpt plugin is not built here (LATENT_BUILD_PLUGINS=OFF)");
#endif
        m_window = std::make_unique<MainWindow>(*m_studio, nullptr);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->activateWindow();  // window shortcuts (Esc = Stop) need an active window
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void cleanup() {
        m_window.reset();
        m_studio.reset();
    }

    void tokensStreamWithLiveStatistics() {
        TextPanel* p = panel();
        int updates = 0;
        connect(p->outputView(), &QTextEdit::textChanged, this, [&] { ++updates; });
        const JobId id = write(kPrompt, sampling(60));
        QVERIFY(id != 0);
        QVERIFY(waitForEnd(id));
        QCOMPARE(queueState(id), JobState::Finished);
        const QString out = p->outputView()->toPlainText();
        QVERIFY2(out.size() > 40, qPrintable(out));
        QVERIFY2(updates >= 30, qPrintable(QString::number(updates)));  // token by token, not in one piece
        QCOMPARE(int(p->outputView()->tokenIds().size()), 60);
        const QString stats = p->statsLabel()->text();
        QVERIFY2(stats.contains(QLatin1String("first token")) && stats.contains(QLatin1String("tokens/s")) &&
                     stats.contains(QLatin1String("60 new tokens")),
                 qPrintable(stats));
    }

    void sameSeedWritesTheSameText() {
        QVERIFY(waitForEnd(write(kPrompt, sampling(30), 11)));
        const QString first = panel()->outputView()->toPlainText();
        QVERIFY(waitForEnd(write(kPrompt, sampling(30), 11)));
        QCOMPARE(panel()->outputView()->toPlainText(), first);
        QVERIFY(waitForEnd(write(kPrompt, sampling(30), 12)));
        QVERIFY(panel()->outputView()->toPlainText() != first);
    }

    void escapeStopsAndKeepsTheText() {
        TextPanel* p = panel();
        // Press Esc as soon as the first token shows.
        QMetaObject::Connection once;
        once = connect(p->outputView(), &QTextEdit::textChanged, this, [&] {
            if (p->outputView()->tokenIds().empty()) return;  // the output being cleared
            disconnect(once);
            QTest::keyClick(p->promptEditor(), Qt::Key_Escape);
        });
        const JobId id = write(kPrompt, sampling(240));
        QVERIFY(waitForEnd(id));
        QCOMPARE(queueState(id), JobState::Cancelled);
        const auto shown = p->outputView()->tokenIds().size();
        QVERIFY2(shown >= 1 && shown < 240, qPrintable(QString::number(shown)));
        QVERIFY(!p->outputView()->toPlainText().isEmpty());
        // What was written before Stop exports with its settings.
        const QString path = m_files.filePath(QStringLiteral("stopped.txt"));
        QVERIFY(p->exportTo(path));
        QFile side(path + QStringLiteral(".json"));
        QVERIFY(side.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(side.readAll()).object();
        QCOMPARE(json.value(QStringLiteral("model")).toObject().value(QStringLiteral("id")).toString(), kProse);
    }

    void likelihoodViewRegeneratesFromAChosenToken() {
        TextPanel* p = panel();
        p->likelihoodToggle()->setChecked(true);
        QVERIFY(waitForEnd(write(kPrompt, sampling(24))));
        const auto spans = p->outputView()->spans();
        QVERIFY(spans.size() >= 10);
        const TokenSpan& s = spans[4];
        QCOMPARE(int(s.logprobs.size()), int(s.ids.size()));
        QVERIFY(s.probability() > 0.0 && s.probability() <= 1.0);
        QCOMPARE(int(s.alternatives.front().ids.size()), 5);
        QVERIFY(p->outputView()->describeSpan(4).contains(QLatin1Char('%')));
        // The click menu's choice: a rival of span 4's token.
        const auto before = p->outputView()->tokenIdsBefore(4);
        std::int32_t rival = s.alternatives.front().ids[0] == s.ids.front() ? s.alternatives.front().ids[1]
                                                                               : s.alternatives.front().ids[0];
        Q_EMIT p->outputView()->alternativeChosen(4, rival);
        const JobId id = p->currentJob();
        QVERIFY(waitForEnd(id));
        QCOMPARE(queueState(id), JobState::Finished);
        const auto ids = p->outputView()->tokenIds();
        QVERIFY(ids.size() > before.size() + 1);
        QVERIFY(std::equal(before.begin(), before.end(), ids.begin()));
        QCOMPARE(ids[before.size()], rival);
    }

    void continueWritesOnAfterTheOutput() {
        TextPanel* p = panel();
        QVERIFY(waitForEnd(write(kPrompt, sampling(20))));
        const QString first = p->outputView()->toPlainText();
        const JobId id = p->continueText();
        QVERIFY(waitForEnd(id));
        QCOMPARE(queueState(id), JobState::Finished);
        const QString both = p->outputView()->toPlainText();
        QVERIFY2(both.startsWith(first) && both.size() > first.size(), qPrintable(both));
    }

    void scoreTextGivesPerplexityAndColours() {
        TextPanel* p = panel();
        p->selectModel(kProse);
        p->likelihoodToggle()->setChecked(false);
        p->promptEditor()->setPlainText(QStringLiteral("Call me Ishmael. Some years ago, never mind how long."));
        const JobId id = p->scoreText();
        QVERIFY(waitForEnd(id));
        QCOMPARE(queueState(id), JobState::Finished);
        QVERIFY(p->likelihoodToggle()->isChecked());
        const QString stats = p->statsLabel()->text();
        QVERIFY2(stats.contains(QLatin1String("perplexity")) && stats.contains(QLatin1String("bits/byte")),
                 qPrintable(stats));
        QVERIFY(p->outputView()->toPlainText().startsWith(QLatin1String("Call me")));
        // An empty prompt has nothing to score: a message, no job.
        p->promptEditor()->clear();
        QCOMPARE(p->scoreText(), JobId(0));
        QVERIFY(!p->errorText().isEmpty());
    }

    void exportWritesTheTextAndItsProvenance() {
        TextPanel* p = panel();
        QVERIFY(waitForEnd(write(kPrompt, sampling(16), 21)));
        const QString path = m_files.filePath(QStringLiteral("story.md"));
        QVERIFY(p->exportTo(path));
        QFile text(path);
        QVERIFY(text.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(text.readAll()), kPrompt + p->outputView()->toPlainText());
        QFile side(path + QStringLiteral(".json"));
        QVERIFY(side.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(side.readAll()).object();
        QCOMPARE(json.value(QStringLiteral("model")).toObject().value(QStringLiteral("id")).toString(), kProse);
        QCOMPARE(json.value(QStringLiteral("seed")).toInteger(), 21);
        QCOMPARE(json.value(QStringLiteral("task")).toString(), QStringLiteral("text.generate"));
        QCOMPARE(json.value(QStringLiteral("params")).toObject().value(QStringLiteral("max_new_tokens")).toInteger(), 16);
        QCOMPARE(json.value(QStringLiteral("mode")).toString(), QStringLiteral("write"));
        // An unwritable place: a message, no crash, nothing half-written.
        QVERIFY(!p->exportTo(QStringLiteral("/proc/no-such-dir/x.txt")));
        QVERIFY(!p->errorText().isEmpty());
    }

    void writtenTextIsKeptAndUseSettingsBringsItBack() {
        TextPanel* p = panel();
        QSignalSpy recorded(m_studio->bridge(), &EngineBridge::resultRecorded);
        const JobId id = write(kPrompt, sampling(16), 4242);
        QVERIFY(waitForEnd(id));
        QVERIFY(recorded.count() > 0 || recorded.wait(10000));
        QCOMPARE(recorded.at(0).at(0).toLongLong(), qint64(id));
        const qint64 result = recorded.at(0).at(1).toLongLong();
        QVERIFY2(result > 0, qPrintable(recorded.at(0).at(2).toString()));
        // The library lists it as a text tile showing what was written.
        ResultListModel* model = m_window->libraryDock()->model();
        QTRY_VERIFY(model->rowOf(result) >= 0);
        const QModelIndex tile = model->index(model->rowOf(result));
        QCOMPARE(tile.data(ResultListModel::ModalityRole).toString(), QStringLiteral("text"));
        QVERIFY(!tile.data(ResultListModel::TextPreviewRole).toString().trimmed().isEmpty());
        QCOMPARE(tile.data(ResultListModel::PromptRole).toString(), kPrompt);

        // Elsewhere, with other settings: Use settings brings back all of them.
        p->setMode(TextPanel::Mode::Code);
        p->paramForm()->setValues(sampling(99, 0.3));
        p->seedEdit()->setRandomEachTime(true);
        p->promptEditor()->setPlainText(QStringLiteral("something else"));
        m_window->tabs()->setCurrentIndex(1);
        QVERIFY(m_window->useResultSettings(result));
        QCOMPARE(m_window->currentPanel(), static_cast<GenerationPanel*>(p));
        QCOMPARE(p->mode(), TextPanel::Mode::Write);
        QCOMPARE(p->currentModelId(), kProse);
        QCOMPARE(p->currentTaskId(), QStringLiteral("text.generate"));
        QCOMPARE(p->seedEdit()->seed(), 4242ull);
        QVERIFY(!p->seedEdit()->randomEachTime());
        QCOMPARE(p->promptEditor()->toPlainText(), kPrompt);
        QCOMPARE(std::get<std::int64_t>(p->paramForm()->values().at("max_new_tokens")), std::int64_t(16));
        // And so Generate writes the same text again.
        const QString first = p->outputView()->toPlainText();
        p->generateButton()->click();
        QVERIFY(waitForEnd(p->currentJob()));
        QCOMPARE(p->outputView()->toPlainText(), first);
    }

    void codeModeCompletesWithGhostTextAndTab() {
        TextPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kPython));
        p->setMode(TextPanel::Mode::Code);
        CodeEditor* editor = p->codeEditor();
        QCOMPARE(editor->language(), QStringLiteral("python"));
        p->completer()->setDelayMs(50);
        QSignalSpy ready(p->completer(), &CodeCompleter::suggestionReady);
        editor->setFocus();
        for (const char* line : {"import os", "", "", "def read_file(path):"}) {
            QTest::keyClicks(editor, QString::fromLatin1(line));
            QTest::keyClick(editor, Qt::Key_Return);
        }
        // The suggestion streams in as ghost text; wait for all of it.
        QVERIFY(QTest::qWaitFor([&] { return ready.count() >= 1; }, 20000));
        QVERIFY(!editor->ghostText().isEmpty());
        const QString typed = editor->toPlainText();
        const QString ghost = editor->ghostText();
        QTest::keyClick(editor, Qt::Key_Tab);
        QVERIFY(editor->ghostText().isEmpty());
        QCOMPARE(editor->toPlainText(), typed + ghost);
        // A new suggestion after more typing; Esc dismisses it and leaves the code as it was.
        QTest::keyClick(editor, Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return ready.count() >= 2; }, 20000));
        QVERIFY(!editor->ghostText().isEmpty());
        const QString before = editor->toPlainText();
        QTest::keyClick(editor, Qt::Key_Escape);
        QVERIFY(editor->ghostText().isEmpty());
        QCOMPARE(editor->toPlainText(), before);
        // Suggestions come and go; none of them is kept as a result.
        for (const ResultRecord& r : m_studio->engine()->results()->query({}))
            QVERIFY2(r.task != "text.complete", qPrintable(QString::fromStdString(r.prompt)));
    }
};

QTEST_MAIN(tst_TextPanel)
#include "tst_TextPanel.moc"
