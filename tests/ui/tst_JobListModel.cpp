// JobListModel follows jobs through the bridge's events, whatever order the
// first events arrive in, and keeps the ended rows bounded.
#include <QSignalSpy>
#include <QtTest>

#include "UiTestSupport.h"
#include "models/JobListModel.h"

using namespace latent;

namespace {
JobInfo info(JobId id, std::string label = "job") {
    JobInfo j;
    j.id = id;
    j.label = std::move(label);  // (assigning a const char* trips a GCC 12 -Wrestrict false positive)
    j.modelId = std::string("m");
    return j;
}
Progress progress(std::int64_t done, std::int64_t total, std::int64_t etaMs = -1) {
    Progress p;
    p.done = done;
    p.total = total;
    p.etaMs = etaMs;
    return p;
}
}  // namespace

class tst_JobListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void followsAJobThroughItsLife() {
        JobListModel model;
        QSignalSpy states(&model, &JobListModel::jobStateChanged);
        model.onQueued(info(1, "first"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.state(1), JobState::Queued);
        QCOMPARE(model.data(model.index(0, JobListModel::LabelColumn)).toString(), QStringLiteral("first"));
        QCOMPARE(model.activeCount(), 1);
        model.onStarted(info(1));
        QCOMPARE(model.state(1), JobState::Running);
        QCOMPARE(model.firstRunning(), JobId(1));
        model.onProgress(info(1), progress(1, 4, 3000));
        QCOMPARE(model.data(model.index(0, JobListModel::ProgressColumn)).toInt(), 25);
        QVERIFY(!model.data(model.index(0, JobListModel::EtaColumn)).toString().isEmpty());
        QVERIFY(!model.data(model.index(0, JobListModel::ElapsedColumn)).toString().isEmpty());
        model.onFinished(info(1), JobState::Finished, Provenance{});
        QCOMPARE(model.state(1), JobState::Finished);
        QCOMPARE(model.data(model.index(0, JobListModel::ProgressColumn)).toInt(), 100);
        QCOMPARE(model.data(model.index(0, JobListModel::StateColumn)).toString(), QStringLiteral("Finished"));
        QCOMPARE(model.activeCount(), 0);
        QCOMPARE(model.firstRunning(), JobId(0));
        QCOMPARE(states.count(), 2);  // Running, Finished
    }

    void toleratesEventsOutOfOrderAndNeverRevivesEndedJobs() {
        JobListModel model;
        model.onStarted(info(5));  // before its queued event
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.state(5), JobState::Running);
        model.onQueued(info(5));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.state(5), JobState::Running);
        model.onFinished(info(5), JobState::Cancelled, Provenance{});
        QCOMPARE(model.state(5), JobState::Cancelled);
        model.onProgress(info(5), progress(3, 4));
        model.onStarted(info(5));
        QCOMPARE(model.state(5), JobState::Cancelled);
    }

    void recordsFailures() {
        JobListModel model;
        model.onQueued(info(2));
        model.onFailed(info(2), ErrorKind::ModelPackage, QStringLiteral("sha256 mismatch for weights.bin"));
        QCOMPARE(model.state(2), JobState::Failed);
        QVERIFY(model.error(2).contains(QStringLiteral("sha256 mismatch")));
        QVERIFY(model.data(model.index(0, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("sha256")));
        // A cancellation reported as an error is still a cancellation.
        model.onQueued(info(3));
        model.onFailed(info(3), ErrorKind::Cancelled, QStringLiteral("stopped"));
        QCOMPARE(model.state(3), JobState::Cancelled);
    }

    void keepsEndedRowsBounded() {
        JobListModel model;
        model.onQueued(info(1000));  // stays queued
        const int total = JobListModel::kMaxEndedRows + 50;
        for (int i = 1; i <= total; ++i) {
            model.onQueued(info(JobId(i)));
            model.onFinished(info(JobId(i)), JobState::Finished, Provenance{});
        }
        QCOMPARE(model.rowCount(), JobListModel::kMaxEndedRows + 1);
        QCOMPARE(model.state(1000), JobState::Queued);
        QCOMPARE(model.state(1), JobState::Invalid);  // the oldest went
        QCOMPARE(model.state(JobId(total)), JobState::Finished);
        QCOMPARE(model.jobAt(model.rowOf(JobId(total))), JobId(total));
        model.clearEnded();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.jobAt(0), JobId(1000));
    }

    void laneJobsKeepOnlyTheNewestEndedRow() {
        JobListModel model;
        auto laneJob = [](JobId id) {
            JobInfo j = info(id, "Latent sliders");
            j.lane = "image-panel/sliders";
            return j;
        };
        model.onQueued(info(1, "main"));
        model.onFinished(info(1), JobState::Finished, Provenance{});
        model.onQueued(laneJob(2));
        model.onFinished(laneJob(2), JobState::Finished, Provenance{});
        model.onQueued(laneJob(3));
        model.onFailed(laneJob(3), ErrorKind::BadArgument, QStringLiteral("bad latent"));
        model.onQueued(laneJob(4));  // replaces 2 (finished), keeps 3 (failed: the user may want to read why)
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.state(1), JobState::Finished);
        QCOMPARE(model.state(2), JobState::Invalid);
        QCOMPARE(model.state(3), JobState::Failed);
        QCOMPARE(model.state(4), JobState::Queued);
        model.onFinished(laneJob(4), JobState::Finished, Provenance{});
        model.onQueued(laneJob(5));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.state(4), JobState::Invalid);
        QCOMPARE(model.data(model.index(2, JobListModel::LabelColumn)).toString(), QStringLiteral("Latent sliders"));
    }

    void formatsDurations() {
        QCOMPARE(JobListModel::formatDuration(-1), QString());
        QCOMPARE(JobListModel::formatDuration(2500), QStringLiteral("2.5 s"));
        QCOMPARE(JobListModel::formatDuration(180), QStringLiteral("0.2 s"));
        QCOMPARE(JobListModel::formatDuration(125000), QStringLiteral("2:05"));
        QCOMPARE(JobListModel::formatDuration(3723000), QStringLiteral("1:02:03"));
    }
};

QTEST_MAIN(tst_JobListModel)
#include "tst_JobListModel.moc"
