// The queue dock on a real engine (torch-free fixture-image family): Pause
// holds the queue and says so, queued rows drag into a new order that the
// engine then runs, started jobs stay where they are, and a queue kept
// across a restart comes back paused with a notice and a Resume.
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "UiTestSupport.h"
#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/qt/EngineBridge.h"
#include "mainwindow/QueueDock.h"
#include "models/JobListModel.h"
#include "widgets/MessageBanner.h"

using namespace latent;

namespace {
const QString kGood = QStringLiteral("fixture-good");

JobRequest fixtureJob(std::int64_t steps = 1, std::int64_t stepMs = 0) {
    JobRequest r;
    r.modelId = kGood.toStdString();
    r.task = "image.sample";
    r.params = {{"size", std::int64_t(16)}, {"steps", steps}, {"step_ms", stepMs}, {"batch", std::int64_t(1)},
                {"fail_at_step", std::int64_t(0)}};
    r.seed = 1;
    return r;
}
}  // namespace

class tst_QueueDock : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<Studio> startStudio(const QString& queueFile = {}) {
        EngineConfig config = test::testEngineConfig();
        config.resultsDir = m_dir.filePath(QStringLiteral("results")).toStdString();
        if (!queueFile.isEmpty()) config.queueFile = queueFile.toStdString();
        auto studio = std::make_unique<Studio>();
        studio->startEngine(config, /*async=*/false);
        return studio;
    }

    static std::vector<JobId> rowOrder(const JobListModel* model, const std::vector<JobId>& ids) {
        std::vector<JobId> out;
        for (int r = 0; r < model->rowCount(); ++r) {
            const JobId id = model->jobAt(r);
            if (std::find(ids.begin(), ids.end(), id) != ids.end()) out.push_back(id);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        test::writeFixtureImagePackage(test::fixtureModelRoot(), kGood.toStdString());
    }

    void pauseHoldsTheQueueAndDragReorders() {
        auto studio = startStudio();
        QVERIFY(studio->isReady());
        QueueDock dock(*studio);
        JobListModel* model = studio->jobs();
        QPushButton* pause = dock.pauseButton();
        QCOMPARE(pause->text(), QStringLiteral("Pause"));
        pause->click();
        QVERIFY(studio->engine()->paused());
        QVERIFY(studio->bridge()->isPaused());
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QVERIFY(dock.stateLabel()->text().startsWith(QStringLiteral("Paused")));

        std::vector<JobHandlePtr> handles;
        for (int i = 0; i < 3; ++i) handles.push_back(studio->bridge()->submit(fixtureJob()));
        const JobId a = handles[0]->id(), b = handles[1]->id(), c = handles[2]->id();
        QTRY_COMPARE(model->rowCount(), 3);
        QTest::qWait(150);  // nothing starts while paused
        for (JobId id : {a, b, c}) QCOMPARE(model->state(id), JobState::Queued);
        QCOMPARE(studio->engine()->queuedOrder(), (std::vector<JobId>{a, b, c}));
        QCOMPARE(model->data(model->index(model->rowOf(a), JobListModel::StateColumn)).toString(),
                 QStringLiteral("Paused"));
        QVERIFY(dock.stateLabel()->text().contains(QStringLiteral("3 queued")));
        QVERIFY(model->flags(model->index(model->rowOf(a), 0)) & Qt::ItemIsDragEnabled);

        // Drag c and drop it above a: the engine's queue and the rows follow.
        std::unique_ptr<QMimeData> mime(model->mimeData({model->index(model->rowOf(c), 0),
                                                         model->index(model->rowOf(c), 2)}));
        QVERIFY(mime);
        QVERIFY(model->dropMimeData(mime.get(), Qt::MoveAction, model->rowOf(a), 0, {}));
        QCOMPARE(studio->engine()->queuedOrder(), (std::vector<JobId>{c, a, b}));
        QCOMPARE(rowOrder(model, {a, b, c}), (std::vector<JobId>{c, a, b}));
        // Dropped below the last row: to the end.
        QVERIFY(model->moveJobs({c}, model->rowCount()));
        QCOMPARE(studio->engine()->queuedOrder(), (std::vector<JobId>{a, b, c}));
        QCOMPARE(rowOrder(model, {a, b, c}), (std::vector<JobId>{a, b, c}));
        // Through the view as a user drags: the view's selection follows its rows.
        QVERIFY(model->moveJobs({b, c}, model->rowOf(a)));
        QCOMPARE(studio->engine()->queuedOrder(), (std::vector<JobId>{b, c, a}));

        // Resume: they run in the new order.
        QSignalSpy started(studio->bridge(), &EngineBridge::jobStarted);
        pause->click();
        QVERIFY(!studio->engine()->paused());
        QCOMPARE(pause->text(), QStringLiteral("Pause"));
        for (JobId id : {a, b, c}) QTRY_COMPARE(model->state(id), JobState::Finished);
        QCOMPARE(started.count(), 3);
        QCOMPARE(qvariant_cast<JobInfo>(started.at(0).at(0)).id, b);
        QCOMPARE(qvariant_cast<JobInfo>(started.at(1).at(0)).id, c);
        QCOMPARE(qvariant_cast<JobInfo>(started.at(2).at(0)).id, a);
        QVERIFY(!dock.stateLabel()->text().contains(QStringLiteral("Paused")));
        // Ended rows are not draggable.
        QVERIFY(!(model->flags(model->index(model->rowOf(a), 0)) & Qt::ItemIsDragEnabled));
    }

    void startedJobsStayPut() {
        auto studio = startStudio();
        QVERIFY(studio->isReady());
        QueueDock dock(*studio);
        JobListModel* model = studio->jobs();
        const JobHandlePtr running = studio->bridge()->submit(fixtureJob(1000, 20));
        QTRY_COMPARE(model->state(running->id()), JobState::Running);
        studio->bridge()->setPaused(true);
        const JobHandlePtr q1 = studio->bridge()->submit(fixtureJob());
        const JobHandlePtr q2 = studio->bridge()->submit(fixtureJob());
        QTRY_COMPARE(model->rowCount(), 3);
        QVERIFY(!(model->flags(model->index(model->rowOf(running->id()), 0)) & Qt::ItemIsDragEnabled));
        // A running job carries nothing to drag, and cannot be moved.
        QVERIFY(!model->mimeData({model->index(model->rowOf(running->id()), 0)}));
        QVERIFY(!model->moveJobs({running->id()}, model->rowCount()));
        // Dropped above the running row: first in the queue, the running row stays first.
        QVERIFY(model->moveJobs({q2->id()}, 0));
        QCOMPARE(studio->engine()->queuedOrder(), (std::vector<JobId>{q2->id(), q1->id()}));
        QCOMPARE(model->jobAt(0), running->id());
        QCOMPARE(rowOrder(model, {q1->id(), q2->id()}), (std::vector<JobId>{q2->id(), q1->id()}));
        studio->bridge()->cancelAll();
        QTRY_VERIFY(isTerminal(model->state(running->id())));
    }

    void restoredQueueComesBackPaused() {
        const QString queueFile = m_dir.filePath(QStringLiteral("queue.json"));
        {
            auto first = startStudio(queueFile);
            QVERIFY(first->isReady());
            first->bridge()->setPaused(true);
            first->bridge()->submit(fixtureJob());
            first->bridge()->submit(fixtureJob());
            QTRY_COMPARE(first->engine()->queuedOrder().size(), std::size_t(2));
            first->shutdown();
        }
        QVERIFY(QFile::exists(queueFile));
        auto studio = startStudio(queueFile);
        QVERIFY(studio->isReady());
        QSignalSpy restored(studio.get(), &Studio::queueRestored);
        QCOMPARE(studio->restoreQueue(), 2);
        QCOMPARE(restored.count(), 1);
        QVERIFY(studio->engine()->paused());
        QVERIFY(studio->jobs()->isPaused());
        // The dock made after the restore still tells of it.
        QueueDock dock(*studio);
        QVERIFY(dock.stateLabel()->text().startsWith(QStringLiteral("Paused")));
        const QString notice = dock.banner()->text();
        QVERIFY2(notice.contains(QStringLiteral("2 queued jobs restored from the last session")), qPrintable(notice));
        QVERIFY(notice.contains(QStringLiteral("Resume")));
        QTRY_COMPARE(studio->jobs()->activeCount(), 2);
        auto* resume = dock.banner()->findChild<QPushButton*>(QStringLiteral("messageAction"));
        QVERIFY(resume);
        resume->click();
        QVERIFY(!studio->engine()->paused());
        QTRY_COMPARE(studio->jobs()->activeCount(), 0);
        QVERIFY(dock.banner()->text().isEmpty());
        QCOMPARE(dock.pauseButton()->text(), QStringLiteral("Pause"));
    }
};

QTEST_MAIN(tst_QueueDock)
#include "tst_QueueDock.moc"
