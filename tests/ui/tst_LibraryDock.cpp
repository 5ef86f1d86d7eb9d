// The results library dock end to end on the offscreen platform, with the
// torch-free fixture-image family: a generated image lands in the grid,
// search and filters narrow it, Use settings loads a result back into its
// panel (latent included), delete goes to the trash and Undo brings it back,
// a result whose files were deleted by hand still lists, and a library that
// cannot be opened turns recording off without stopping generation.
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <fstream>
#include <memory>

#include "LatentFixture.h"
#include "UiTestSupport.h"
#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/library/ResultLibrary.h"
#include "latent/qt/EngineBridge.h"
#include "library/LibraryDock.h"
#include "library/ResultListModel.h"
#include "mainwindow/MainWindow.h"
#include "mainwindow/StudioStatusBar.h"
#include "models/JobListModel.h"
#include "panels/image/ImagePanel.h"
#include "panels/text/TextPanel.h"
#include "widgets/Canvas.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {
const QString kGood = QStringLiteral("fixture-good");
const QString kLatent = QStringLiteral("fixture-latent");

ParamMap fixtureParams(std::int64_t size, std::int64_t steps = 1, std::int64_t batch = 1) {
    return {{"size", size}, {"steps", steps}, {"step_ms", std::int64_t(0)}, {"batch", batch},
            {"fail_at_step", std::int64_t(0)}};
}
}  // namespace

class tst_LibraryDock : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_results;
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;

    ImagePanel* imagePanel() const { return qobject_cast<ImagePanel*>(m_window->panel(Modality::Image)); }
    LibraryDock* dock() const { return m_window->libraryDock(); }
    ResultListModel* model() const { return dock()->model(); }
    ResultLibrary* library() const { return m_studio->engine()->results(); }

    void start(const std::filesystem::path& resultsDir) {
        EngineConfig config = test::testEngineConfig();
        config.resultsDir = resultsDir;
        m_studio = std::make_unique<Studio>();
        m_studio->startEngine(config, /*async=*/false);
        QVERIFY2(m_studio->isReady(), qPrintable(m_studio->startError()));
        m_window = std::make_unique<MainWindow>(*m_studio, nullptr);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        dock()->show();
        dock()->raise();
    }

    // Generates through the image panel and waits for the result to be kept.
    qint64 generate(const QString& modelId, const ParamMap& params, std::uint64_t seed) {
        QSignalSpy recorded(m_studio->bridge(), &EngineBridge::resultRecorded);
        ImagePanel* p = imagePanel();
        m_window->tabs()->setCurrentWidget(p);
        if (!p->selectModel(modelId)) return 0;
        p->paramForm()->setValues(params);
        p->seedEdit()->setRandomEachTime(false);
        p->seedEdit()->setSeed(seed);
        p->generateButton()->click();
        const JobId job = p->currentJob();
        if (job == 0 || !recorded.wait(10000)) return 0;
        const auto args = recorded.takeFirst();
        if (args.at(0).toLongLong() != qint64(job) || !args.at(2).toString().isEmpty()) return 0;
        return args.at(1).toLongLong();
    }

    // A job through the bridge (not a panel) with a prompt, as a panel with a prompt box sends it.
    qint64 submitWithPrompt(const std::string& prompt, std::uint64_t seed) {
        QSignalSpy recorded(m_studio->bridge(), &EngineBridge::resultRecorded);
        JobRequest r;
        r.modelId = kGood.toStdString();
        r.task = "image.sample";
        r.params = fixtureParams(16);
        r.seed = seed;
        r.inputs.prompt = prompt;
        const JobHandlePtr handle = m_studio->bridge()->submit(r);
        if (!recorded.wait(10000)) return 0;
        return recorded.takeFirst().at(1).toLongLong();
    }

    QModelIndex indexOf(qint64 id) const { return model()->index(model()->rowOf(id)); }

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        const auto root = test::fixtureModelRoot();
        test::writeFixtureImagePackage(root, kGood.toStdString());
        test::writeLatentPackage(root, kLatent.toStdString());
    }

    void init() {
        m_results = std::make_unique<QTemporaryDir>();
        start(m_results->path().toStdString());
    }

    void cleanup() {
        m_window.reset();
        m_studio.reset();
        m_results.reset();
    }

    void generatedImageAppearsNewestFirst() {
        QVERIFY(library());
        QVERIFY(dock()->messageText().contains(QStringLiteral("Nothing here yet")));
        QVERIFY(m_window->studioStatusBar()->recordingText().isEmpty());
        const qint64 first = generate(kGood, fixtureParams(24), 11);
        QVERIFY(first > 0);
        QTRY_COMPARE(model()->rowCount(), 1);
        QVERIFY(dock()->messageText().isEmpty());  // the grid shows
        const qint64 second = generate(kGood, fixtureParams(24), 12);
        QVERIFY(second > 0);
        QTRY_COMPARE(model()->rowCount(), 2);
        QCOMPARE(model()->index(0).data(ResultListModel::IdRole).toLongLong(), second);
        QCOMPARE(model()->index(1).data(ResultListModel::IdRole).toLongLong(), first);
        const QModelIndex top = model()->index(0);
        QCOMPARE(top.data(ResultListModel::ModalityRole).toString(), QStringLiteral("image"));
        QCOMPARE(top.data(ResultListModel::ModelRole).toString(), kGood);
        QCOMPARE(top.data(ResultListModel::SeedRole).toULongLong(), 12ull);
        QVERIFY(!top.data(ResultListModel::MissingRole).toBool());
        QVERIFY(!top.data(ResultListModel::ThumbnailRole).value<QImage>().isNull());
        const QString tip = top.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("Seed: 12")) && tip.contains(kGood), qPrintable(tip));
        // The model filter lists the models that have results.
        QVERIFY(dock()->modelFilter()->findData(kGood) > 0);
        QVERIFY2(dock()->searchBox()->placeholderText().contains(QStringLiteral("2 results")),
                 qPrintable(dock()->searchBox()->placeholderText()));
        // The grid paints (thumbnails decoded lazily) without trouble.
        QVERIFY(!dock()->view()->grab().isNull());
    }

    void textResultsShowTheirFirstLines() {
        NewResult text;
        text.modality = "text";
        text.modelId = "prose-gpt";
        text.task = "text.generate";
        text.prompt = "Call me";
        text.seed = 5;
        Provenance p;
        p.modelId = "prose-gpt";
        p.task = "text.generate";
        p.prompt = "Call me";
        p.seed = 5;
        text.provenanceJson = provenanceToJson(p);
        text.outputs.push_back({"text", ".txt", " Ishmael. Some years ago\nnever mind how long precisely"});
        library()->add(text);
        dock()->refresh();
        QCOMPARE(model()->rowCount(), 1);
        const QModelIndex i = model()->index(0);
        QCOMPARE(i.data(ResultListModel::ModalityRole).toString(), QStringLiteral("text"));
        QVERIFY(i.data(ResultListModel::TextPreviewRole).toString().contains(QStringLiteral("Ishmael")));
        QVERIFY(i.data(ResultListModel::ThumbnailRole).value<QImage>().isNull());
        QVERIFY(!dock()->view()->grab().isNull());
        // Its model is not installed here: Use settings says so, nothing breaks.
        dock()->select(i.data(ResultListModel::IdRole).toLongLong());
        QVERIFY(!m_window->useResultSettings(i.data(ResultListModel::IdRole).toLongLong()));
        QVERIFY(dock()->banner()->text().contains(QStringLiteral("prose-gpt")));
        // The modality filter keeps texts apart from images.
        QVERIFY(submitWithPrompt("an image", 3) > 0);
        QTRY_COMPARE(model()->rowCount(), 2);
        dock()->modalityFilter()->setCurrentIndex(dock()->modalityFilter()->findData(QStringLiteral("text")));
        QCOMPARE(model()->rowCount(), 1);
        dock()->modalityFilter()->setCurrentIndex(dock()->modalityFilter()->findData(QStringLiteral("image")));
        QCOMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->index(0).data(ResultListModel::ModalityRole).toString(), QStringLiteral("image"));
    }

    void largeLibrariesLoadAPageAtATime() {
        const int total = ResultListModel::kPageSize + 5;
        for (int i = 0; i < total; ++i) {
            NewResult r;
            r.modality = "text";
            r.modelId = "prose-gpt";
            r.task = "text.generate";
            r.prompt = "page test " + std::to_string(i);
            r.createdMs = 1'700'000'000'000 + i;
            r.outputs.push_back({"text", ".txt", "x"});
            library()->add(r);
        }
        dock()->refresh();
        QCOMPARE(model()->rowCount(), ResultListModel::kPageSize);
        QVERIFY(model()->canFetchMore({}));
        // Newest first: the last one added leads.
        QCOMPARE(model()->index(0).data(ResultListModel::PromptRole).toString(),
                 QStringLiteral("page test %1").arg(total - 1));
        model()->fetchMore({});
        QCOMPARE(model()->rowCount(), total);
        QVERIFY(!model()->canFetchMore({}));
        QCOMPARE(model()->index(total - 1).data(ResultListModel::PromptRole).toString(), QStringLiteral("page test 0"));
        // A new result goes on top without reloading the rest.
        QSignalSpy reset(model(), &QAbstractItemModel::modelReset);
        QVERIFY(submitWithPrompt("newest of all", 9) > 0);
        QTRY_COMPARE(model()->rowCount(), total + 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model()->index(0).data(ResultListModel::PromptRole).toString(), QStringLiteral("newest of all"));
    }

    void searchAndFiltersNarrowTheGrid() {
        const qint64 fox = submitWithPrompt("a red fox in the snow", 1);
        const qint64 whale = submitWithPrompt("a blue whale", 2);
        QVERIFY(fox > 0 && whale > 0);
        QTRY_COMPARE(model()->rowCount(), 2);
        // As typed: applied after a short pause, without Enter.
        dock()->searchBox()->setText(QStringLiteral("fox"));
        QTRY_COMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->index(0).data(ResultListModel::IdRole).toLongLong(), fox);
        QVERIFY(model()->index(0).data(ResultListModel::PromptRole).toString().contains(QStringLiteral("fox")));
        dock()->searchBox()->setText(QStringLiteral("whal"));  // prefixes match
        QTRY_COMPARE(model()->index(0).data(ResultListModel::IdRole).toLongLong(), whale);
        QCOMPARE(model()->rowCount(), 1);
        dock()->searchBox()->setText(QStringLiteral("zebra"));
        QTRY_COMPARE(model()->rowCount(), 0);
        QVERIFY(dock()->messageText().contains(QStringLiteral("No result matches")));
        dock()->searchBox()->clear();
        QTRY_COMPARE(model()->rowCount(), 2);

        // Favourites only.
        dock()->select(fox);
        dock()->toggleFavouriteOfSelected();
        QVERIFY(library()->get(fox)->favourite);
        QVERIFY(indexOf(fox).data(ResultListModel::FavouriteRole).toBool());
        dock()->favouritesToggle()->setChecked(true);
        QCOMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->index(0).data(ResultListModel::IdRole).toLongLong(), fox);
        dock()->favouritesToggle()->setChecked(false);
        // Tags are searchable, and ratings kept.
        dock()->select(whale);
        QVERIFY(dock()->setTagsOfSelected({QStringLiteral("ocean"), QStringLiteral("keeper")}));
        QVERIFY(dock()->setRatingOfSelected(4));
        QCOMPARE(library()->get(whale)->rating, 4);
        QVERIFY(indexOf(whale).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Tags: ocean, keeper")));
        dock()->searchBox()->setText(QStringLiteral("keeper"));
        QTRY_COMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->index(0).data(ResultListModel::IdRole).toLongLong(), whale);
        dock()->searchBox()->clear();
        QTRY_COMPARE(model()->rowCount(), 2);
        // Dates: everything here is from today.
        dock()->dateFilter()->setCurrentIndex(dock()->dateFilter()->findData(int(LibraryDock::Since::Today)));
        QCOMPARE(model()->rowCount(), 2);
        QVERIFY(LibraryDock::sinceMs(LibraryDock::Since::ThisMonth) <= LibraryDock::sinceMs(LibraryDock::Since::Today));
        // The model filter.
        dock()->modelFilter()->setCurrentIndex(dock()->modelFilter()->findData(kGood));
        QCOMPARE(model()->rowCount(), 2);
    }

    void useSettingsRestoresModelSeedAndLatent() {
        const qint64 id = generate(kLatent, fixtureParams(32), 777);
        QVERIFY(id > 0);
        QTRY_COMPARE(model()->rowCount(), 1);
        // The panel moves on to other settings, on another tab.
        ImagePanel* p = imagePanel();
        QVERIFY(p->selectModel(kGood));
        p->paramForm()->setValues(fixtureParams(16, 2));
        p->seedEdit()->setRandomEachTime(true);
        p->seedEdit()->setSeed(1);
        m_window->tabs()->setCurrentWidget(m_window->panel(Modality::Text));

        dock()->select(id);
        auto* use = dock()->findChild<QToolButton*>(QStringLiteral("libraryUseSettings"));
        QVERIFY(use && use->isEnabled());
        use->click();
        QCOMPARE(m_window->currentPanel(), static_cast<GenerationPanel*>(p));
        QCOMPARE(p->currentModelId(), kLatent);
        QCOMPARE(p->seedEdit()->seed(), 777ull);
        QVERIFY(!p->seedEdit()->randomEachTime());
        QCOMPARE(std::get<std::int64_t>(p->paramForm()->values().at("size")), std::int64_t(32));
        // The image's file carried its latent: the canvas holds it, editable.
        QCOMPARE(p->imageCount(), 1);
        QCOMPARE(int(p->imageAt(0)->latent.size()), test::kLatentDim);
        QTRY_VERIFY(!p->isRendering());
    }

    void deleteThenUndo() {
        const qint64 a = generate(kGood, fixtureParams(16), 21);
        const qint64 b = generate(kGood, fixtureParams(16), 22);
        QVERIFY(a > 0 && b > 0);
        QTRY_COMPARE(model()->rowCount(), 2);
        dock()->select(a);
        dock()->findChild<QToolButton*>(QStringLiteral("libraryDelete"))->click();
        QCOMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->rowOf(a), -1);
        QCOMPARE(library()->count(), std::size_t(1));
        QCOMPARE(library()->count(/*trashed=*/true), std::size_t(1));
        QVERIFY(dock()->banner()->text().contains(QStringLiteral("Deleted")));
        // The banner's Undo restores it, in its place.
        auto* undo = dock()->banner()->findChild<QPushButton*>(QStringLiteral("messageAction"));
        QVERIFY(undo && undo->isVisible());
        undo->click();
        QCOMPARE(model()->rowCount(), 2);
        QCOMPARE(model()->rowOf(a), 1);
        QCOMPARE(library()->count(true), std::size_t(0));
        // And the dock's own undo stack (Ctrl+Z there) does too.
        dock()->select(b);
        dock()->deleteSelected();
        QCOMPARE(model()->rowOf(b), -1);
        QVERIFY(dock()->undoStack()->canUndo());
        QVERIFY(dock()->banner()->text().contains(QStringLiteral("Deleted 1 result.")));
        dock()->undoStack()->undo();
        QCOMPARE(model()->rowOf(b), 0);
        QVERIFY(dock()->banner()->text().isEmpty());  // its Undo is spent
        dock()->undoStack()->redo();
        QCOMPARE(model()->rowOf(b), -1);
        QCOMPARE(library()->count(), std::size_t(1));
    }

    void resultWithDeletedFilesListsAsMissing() {
        const qint64 id = generate(kGood, fixtureParams(20), 31);
        QVERIFY(id > 0);
        QTRY_COMPARE(model()->rowCount(), 1);
        const auto record = library()->get(id);
        QVERIFY(record && !record->files.empty());
        for (const ResultFile& f : record->files) QVERIFY(std::filesystem::remove(library()->absolute(f.path)));
        if (!record->thumbnail.empty()) std::filesystem::remove(library()->absolute(record->thumbnail));
        dock()->refresh();
        QCOMPARE(model()->rowCount(), 1);
        const QModelIndex i = model()->index(0);
        QVERIFY(i.data(ResultListModel::MissingRole).toBool());
        QVERIFY(i.data(ResultListModel::ThumbnailRole).value<QImage>().isNull());
        QVERIFY(i.data(Qt::ToolTipRole).toString().contains(QStringLiteral("files missing")));
        QVERIFY(!dock()->view()->grab().isNull());  // the placeholder tile paints
        dock()->select(id);
        QVERIFY(!dock()->findChild<QToolButton*>(QStringLiteral("libraryOpen"))->isEnabled());
        QString error;
        QTemporaryDir out;
        QVERIFY(!dock()->exportTo(id, out.filePath(QStringLiteral("x.png")), &error));
        QVERIFY(error.contains(QStringLiteral("missing")));
        // Use settings still loads what made it, from the database.
        ImagePanel* p = imagePanel();
        p->seedEdit()->setSeed(1);
        QVERIFY(m_window->useResultSettings(id));
        QCOMPARE(p->currentModelId(), kGood);
        QCOMPARE(p->seedEdit()->seed(), 31ull);
        QVERIFY(p->errorText().contains(QStringLiteral("missing")));
    }

    void exportCopiesTheFile() {
        const qint64 id = generate(kGood, fixtureParams(24), 41);
        QVERIFY(id > 0);
        QTRY_COMPARE(model()->rowCount(), 1);
        QTemporaryDir out;
        const QString target = out.filePath(QStringLiteral("copy.png"));
        QString error;
        QVERIFY2(dock()->exportTo(id, target, &error), qPrintable(error));
        QFile a(model()->filePaths(*library()->get(id)).front()), b(target);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
        // No folder is created for an export.
        QVERIFY(!dock()->exportTo(id, out.filePath(QStringLiteral("no/such/dir/x.png")), &error));
        QVERIFY(!error.isEmpty());
    }

    void unopenableLibraryTurnsRecordingOffNotGeneration() {
        cleanup();
        m_results = std::make_unique<QTemporaryDir>();
        {
            std::ofstream garbage(m_results->filePath(QStringLiteral("results.sqlite")).toStdString(), std::ios::binary);
            garbage << "this is not a database at all, just bytes......................................"
                       "................................................................................";
        }
        start(m_results->path().toStdString());
        QVERIFY(!m_studio->engine()->results());
        const QString problem = QString::fromStdString(m_studio->engine()->recordingProblem());
        QVERIFY(!problem.isEmpty());
        QVERIFY2(dock()->messageText().contains(QStringLiteral("not recorded")), qPrintable(dock()->messageText()));
        QVERIFY(dock()->messageText().contains(problem));
        QCOMPARE(m_window->studioStatusBar()->recordingText(), QStringLiteral("Recording off"));
        auto* label = m_window->studioStatusBar()->findChild<QLabel*>(QStringLiteral("statusRecording"));
        QVERIFY(label && label->toolTip().contains(problem));

        // Generation goes on; the job says its output was not kept.
        QSignalSpy recorded(m_studio->bridge(), &EngineBridge::resultRecorded);
        ImagePanel* p = imagePanel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kGood));
        p->paramForm()->setValues(fixtureParams(28));
        p->generateButton()->click();
        const JobId job = p->currentJob();
        QVERIFY(job != 0);
        QTRY_COMPARE(m_studio->jobs()->state(job), JobState::Finished);
        QTRY_VERIFY(p->canvas()->image().size() == QSize(28, 28));
        QVERIFY(p->errorText().isEmpty());
        QTRY_COMPARE(recorded.count(), 1);
        QVERIFY(!recorded.at(0).at(2).toString().isEmpty());
        QCOMPARE(model()->rowCount(), 0);
        QVERIFY(dock()->messageText().contains(problem));
    }
};

QTEST_MAIN(tst_LibraryDock)
#include "tst_LibraryDock.moc"
