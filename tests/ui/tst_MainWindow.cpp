// The main window end to end on the offscreen platform, with the torch-free
// fixture-image family: panels, generation into the canvas, Stop, a broken
// model's error, saving, persistence and a quick quit.
#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QImageReader>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "latent/media/ImageExport.h"

#include <memory>

#include "UiTestSupport.h"
#include "app/Studio.h"
#include "dialogs/ModelManagerDialog.h"
#include "latent/Engine.h"
#include "latent/qt/EngineBridge.h"
#include "mainwindow/MainWindow.h"
#include "mainwindow/QueueDock.h"
#include "models/JobListModel.h"
#include "panels/image/ImagePanel.h"
#include "widgets/Canvas.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {
const QString kGood = QStringLiteral("fixture-good");
const QString kBroken = QStringLiteral("fixture-broken");

ParamMap fixtureParams(std::int64_t size, std::int64_t steps, std::int64_t stepMs = 0, std::int64_t batch = 1) {
    return {{"size", size}, {"steps", steps}, {"step_ms", stepMs}, {"batch", batch}, {"fail_at_step", std::int64_t(0)}};
}
}  // namespace

class tst_MainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;

    ImagePanel* imagePanel() const { return qobject_cast<ImagePanel*>(m_window->panel(Modality::Image)); }
    JobState queueState(JobId id) const { return m_studio->jobs()->state(id); }

    // Selects `model` in the image panel, fills the form and presses Generate.
    JobId generate(const QString& model, const ParamMap& params) {
        ImagePanel* p = imagePanel();
        m_window->tabs()->setCurrentWidget(p);
        if (!p->selectModel(model)) return 0;
        p->paramForm()->setValues(params);
        if (p->paramForm()->values() != params) return 0;
        p->generateButton()->click();
        return p->currentJob();
    }

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        const auto root = test::fixtureModelRoot();
        test::writeFixtureImagePackage(root, kGood.toStdString());
        test::writeBrokenPackage(root, kBroken.toStdString());
    }

    void init() {
        m_studio = std::make_unique<Studio>();
        m_studio->startEngine(test::testEngineConfig(), /*async=*/false);
        QVERIFY2(m_studio->isReady(), qPrintable(m_studio->startError()));
        m_window = std::make_unique<MainWindow>(*m_studio, nullptr);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() {
        m_window.reset();
        m_studio.reset();
    }

    void showsFourPanels() {
        QTabWidget* tabs = m_window->tabs();
        QCOMPARE(tabs->count(), 4);
        QCOMPARE(tabs->tabText(0), QStringLiteral("Text"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Image"));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Audio"));
        QCOMPARE(tabs->tabText(3), QStringLiteral("Video"));
        QCOMPARE(m_window->panels().size(), std::size_t(4));
        QVERIFY(m_window->queueDock()->isVisible());
    }

    void panelsWithoutModelsOfferTheModelManager() {
        // Only image fixtures exist: the other panels show the empty state.
        for (Modality m : {Modality::Text, Modality::Audio, Modality::Video}) {
            GenerationPanel* p = m_window->panel(m);
            QVERIFY(p->isShowingEmptyState());
            auto* title = p->findChild<QLabel*>(QStringLiteral("emptyTitle"));
            QVERIFY(title);
            QCOMPARE(title->text(), QStringLiteral("No %1 models yet.").arg(modalityKey(m)));
            auto* text = p->findChild<QLabel*>(QStringLiteral("emptyText"));
            QVERIFY(text->text().contains(QStringLiteral("Model Manager (Ctrl+M)")));
            QVERIFY(!p->canGenerate());
        }
        QVERIFY(!imagePanel()->isShowingEmptyState());
        GenerationPanel* text = m_window->panel(Modality::Text);
        m_window->tabs()->setCurrentWidget(text);
        auto* open = text->findChild<QPushButton*>(QStringLiteral("openModelManager"));
        QVERIFY(open && open->isVisible());
        open->click();
        auto* dialog = m_window->findChild<ModelManagerDialog*>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->close();
    }

    void imagePickerListsOnlyValidImageModels() {
        QComboBox* picker = imagePanel()->modelPicker();
        QStringList ids;
        for (int i = 0; i < picker->count(); ++i) ids << picker->itemData(i).toString();
        QVERIFY(ids.contains(kGood));
        // The broken package's manifest is fine; its weights fail at load time.
        QVERIFY(ids.contains(kBroken));
        QVERIFY(imagePanel()->paramForm()->editor(QStringLiteral("size")));
    }

    void generateShowsImageInCanvas() {
        ImagePanel* p = imagePanel();
        // A job the panel did not submit must not reach its canvas.
        JobRequest foreign;
        foreign.modelId = kGood.toStdString();
        foreign.task = "image.sample";
        foreign.params = fixtureParams(24, 1);
        const JobHandlePtr handle = m_studio->bridge()->submit(foreign);
        const JobId other = handle->id();
        QTRY_COMPARE(queueState(other), JobState::Finished);
        QVERIFY(!p->canvas()->hasImage());

        const JobId id = generate(kGood, fixtureParams(48, 3));
        QVERIFY(id != 0);
        QTRY_VERIFY_WITH_TIMEOUT(p->canvas()->image().size() == QSize(48, 48), 10000);
        QTRY_COMPARE(queueState(id), JobState::Finished);
        QCOMPARE(p->currentJobState(), JobState::Finished);
        const QImage img = p->canvas()->image();
        QCOMPARE(img.format(), QImage::Format_RGBA8888);
        QCOMPARE(qAlpha(img.pixel(10, 10)), 255);
        QVERIFY(p->errorText().isEmpty());
        QVERIFY(p->saveAction()->isEnabled());
    }

    void generateActionUsesCurrentPanelAndSeedIsRecorded() {
        ImagePanel* p = imagePanel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kGood));
        p->paramForm()->setValues(fixtureParams(16, 1));
        p->seedEdit()->setRandomEachTime(false);
        p->seedEdit()->setSeed(1234);
        QVERIFY(m_window->generateAction()->isEnabled());
        m_window->generateAction()->trigger();  // what Ctrl+Return does
        const JobId id = p->currentJob();
        QVERIFY(id != 0);
        QTRY_COMPARE(queueState(id), JobState::Finished);
        const auto info = m_studio->engine()->job(id);
        QVERIFY(info.has_value());
        QCOMPARE(info->seed, std::uint64_t(1234));
    }

    void batchIsLaidOutAsGrid() {
        ImagePanel* p = imagePanel();
        const JobId id = generate(kGood, fixtureParams(16, 1, 0, 4));
        QVERIFY(id != 0);
        QTRY_COMPARE(queueState(id), JobState::Finished);
        QTRY_COMPARE(p->canvas()->frameCount(), 4);
        // 2 × 2 cells of 16 px with one gap between them.
        QCOMPARE(p->canvas()->image().size(), QSize(2 * 16 + Canvas::kGap, 2 * 16 + Canvas::kGap));
    }

    void stopCancelsLongJob() {
        ImagePanel* p = imagePanel();
        const JobId id = generate(kGood, fixtureParams(32, 1000, 20));
        QVERIFY(id != 0);
        QTRY_COMPARE_WITH_TIMEOUT(queueState(id), JobState::Running, 5000);
        QVERIFY(m_window->stopAction()->isEnabled());
        QElapsedTimer clock;
        clock.start();
        m_window->stopAction()->trigger();  // what Esc does
        QTRY_COMPARE_WITH_TIMEOUT(queueState(id), JobState::Cancelled, 1000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(p->currentJobState(), JobState::Cancelled);
        QVERIFY(!p->stopButton()->isEnabled());
        QVERIFY(p->errorText().isEmpty());
    }

    void generateAgainReplacesTheRunningJob() {
        const JobId first = generate(kGood, fixtureParams(32, 1000, 20));
        QVERIFY(first != 0);
        QTRY_COMPARE(queueState(first), JobState::Running);
        const JobId second = generate(kGood, fixtureParams(32, 2));
        QVERIFY(second != first);
        QTRY_COMPARE(queueState(first), JobState::Cancelled);
        QTRY_COMPARE(queueState(second), JobState::Finished);
        QVERIFY(!imagePanel()->lastProvenance().modelId.empty());
    }

    void brokenModelShowsErrorAndWindowStaysUsable() {
        ImagePanel* p = imagePanel();
        const JobId bad = generate(kBroken, fixtureParams(16, 1));
        QVERIFY(bad != 0);
        QTRY_COMPARE_WITH_TIMEOUT(queueState(bad), JobState::Failed, 5000);
        QTRY_VERIFY(!p->errorText().isEmpty());
        QVERIFY2(p->errorText().contains(QStringLiteral("sha256"), Qt::CaseInsensitive) ||
                     p->errorText().contains(QStringLiteral("checksum"), Qt::CaseInsensitive),
                 qPrintable(p->errorText()));
        QVERIFY(!m_studio->jobs()->error(bad).isEmpty());
        QVERIFY(m_window->isVisible());
        QVERIFY(!p->canvas()->hasImage());

        // Nothing closed and the next job works; the banner clears.
        const JobId good = generate(kGood, fixtureParams(20, 2));
        QVERIFY(good != 0);
        QTRY_VERIFY_WITH_TIMEOUT(p->canvas()->image().size() == QSize(20, 20), 10000);
        QTRY_COMPARE(queueState(good), JobState::Finished);
        QVERIFY(p->errorText().isEmpty());
    }

    void failingJobShowsError() {
        ImagePanel* p = imagePanel();
        ParamMap params = fixtureParams(16, 3);
        params["fail_at_step"] = std::int64_t(2);
        const JobId id = generate(kGood, params);
        QVERIFY(id != 0);
        QTRY_COMPARE_WITH_TIMEOUT(queueState(id), JobState::Failed, 5000);
        QTRY_VERIFY(p->errorText().contains(QStringLiteral("fixture failure at step 2")));
        // The first step's frame stays visible.
        QVERIFY(p->canvas()->hasImage());
    }

    void ctrlOOpensImagesFromEveryPanel() {
        // One owner for Ctrl+O: a second, panel-scoped one would make the key ambiguous there.
        auto* open = m_window->findChild<QAction*>(QStringLiteral("fileOpenImage"));
        QVERIFY(open);
        QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
        QVERIFY(open->isEnabled());
        QVERIFY(imagePanel()->openAction()->shortcuts().isEmpty());
    }

    void saveImageWritesPng() {
        ImagePanel* p = imagePanel();
        QString error;
        QVERIFY(!p->saveImage(QStringLiteral("/nonexistent/x.png"), &error));  // nothing shown yet
        QVERIFY(!error.isEmpty());
        const JobId id = generate(kGood, fixtureParams(40, 1));
        QTRY_COMPARE(queueState(id), JobState::Finished);
        QTRY_VERIFY(p->canvas()->hasImage());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.png"));
        QVERIFY2(p->saveImage(path, &error), qPrintable(error));
        QImageReader reader(path);
        QCOMPARE(reader.format(), QByteArray("png"));
        const QImage back = reader.read().convertToFormat(QImage::Format_RGBA8888);
        QCOMPARE(back, p->canvas()->image());
        // The export says how it was made: model, seed and every parameter.
        const auto provenance = readPngProvenance(path.toStdString());
        QVERIFY(provenance.has_value());
        QCOMPARE(QString::fromStdString(provenance->modelId), kGood);
        QCOMPARE(provenance->seed, p->lastProvenance().seed);
        QCOMPARE(std::get<std::int64_t>(provenance->params.at("size")), std::int64_t(40));
        // Other tools see the A1111-style summary (a tEXt chunk Qt reads too).
        QVERIFY(QImageReader(path).text(QStringLiteral("parameters")).contains(QStringLiteral("Seed: ")));
        // A failed write leaves no file behind and reports why.
        QVERIFY(!p->saveImage(dir.filePath(QStringLiteral("out.png/inside-a-file.png")), &error));  // parent is a file
        QVERIFY(!error.isEmpty());
    }

    void restoresPanelStateAndParameters() {
        ImagePanel* p = imagePanel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kGood));
        p->paramForm()->setValues(fixtureParams(77, 5));
        p->seedEdit()->setRandomEachTime(false);
        p->seedEdit()->setSeed(4242);
        m_window->close();  // saves window, panel and parameter state
        m_window.reset();

        m_window = std::make_unique<MainWindow>(*m_studio, nullptr);
        m_window->show();
        p = imagePanel();
        QCOMPARE(m_window->currentPanel(), static_cast<GenerationPanel*>(p));
        QCOMPARE(p->currentModelId(), kGood);
        QCOMPARE(p->paramForm()->values(), fixtureParams(77, 5));
        QCOMPARE(p->seedEdit()->seed(), std::uint64_t(4242));
        QVERIFY(!p->seedEdit()->randomEachTime());
    }

    void quitWithRunningJobIsQuick() {
        const JobId id = generate(kGood, fixtureParams(32, 1000, 20));
        QVERIFY(id != 0);
        QTRY_COMPARE_WITH_TIMEOUT(queueState(id), JobState::Running, 5000);
        QElapsedTimer clock;
        clock.start();
        // What quitting does: close the window, shut the engine down, destroy both.
        m_window->close();
        m_studio->shutdown();
        m_window.reset();
        m_studio.reset();
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QStringLiteral("shutdown took %1 ms").arg(clock.elapsed())));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
