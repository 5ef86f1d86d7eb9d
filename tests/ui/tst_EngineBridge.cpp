// EngineBridge turns worker-thread sink calls into signals on the bridge's
// thread, never blocks the worker, and survives its own destruction while the
// engine keeps running.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <thread>

#include "UiTestSupport.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/JobContext.h"
#include "latent/qt/EngineBridge.h"
#include "latent/qt/JobHandle.h"

using namespace latent;

namespace {
EngineConfig bareConfig() {
    EngineConfig c = test::testEngineConfig();
    c.pluginDirs.clear();
    c.modelDirs.clear();
    return c;
}
}  // namespace

class tst_EngineBridge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void deliversEventsInOrderOnTheGuiThread() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        QStringList feed, events;
        QThread* gui = QThread::currentThread();
        bool allOnGui = true;
        auto note = [&](QStringList& list, const QString& e) {
            list << e;
            allOnGui = allOnGui && QThread::currentThread() == gui;
        };
        // The app-wide feed: lifecycle only.
        connect(&bridge, &EngineBridge::jobQueued, this, [&](const JobInfo&) { note(feed, QStringLiteral("queued")); });
        connect(&bridge, &EngineBridge::jobStarted, this, [&](const JobInfo&) { note(feed, QStringLiteral("started")); });
        connect(&bridge, &EngineBridge::jobFinished, this,
                [&](const JobInfo&, JobState, const Provenance&) { note(feed, QStringLiteral("finished")); });

        JobRequest r;
        r.label = "bridge test";
        r.seed = 7;
        r.work = [](JobContext& ctx) {
            for (int i = 1; i <= 2; ++i) {
                ctx.emit(makeImageFrame(2, 3, std::vector<std::uint8_t>(2 * 3 * 4, 255)));
                ctx.progress(i, 2);
            }
        };
        const JobHandlePtr job = bridge.submit(std::move(r));
        QVERIFY(job->id() != 0);
        QCOMPARE(job->state(), JobState::Queued);
        connect(job.get(), &JobHandle::started, this, [&](const JobInfo&) { note(events, QStringLiteral("started")); });
        connect(job.get(), &JobHandle::progress, this, [&](const JobInfo&, const Progress& p) {
            note(events, QStringLiteral("progress %1/%2").arg(p.done).arg(p.total));
        });
        connect(job.get(), &JobHandle::chunk, this, [&](const JobInfo&, const ChunkPtr& c) {
            const auto* f = std::get_if<ImageFrame>(c.get());
            note(events, f ? QStringLiteral("frame %1x%2").arg(f->width).arg(f->height) : QStringLiteral("chunk"));
        });
        connect(job.get(), &JobHandle::finished, this, [&](const JobInfo&, JobState s, const Provenance& prov) {
            note(events, QStringLiteral("finished %1 seed %2").arg(jobStateName(s)).arg(prov.seed));
        });
        QTRY_COMPARE(events.size(), 6);
        QCOMPARE(events, (QStringList{QStringLiteral("started"), QStringLiteral("frame 2x3"),
                                      QStringLiteral("progress 1/2"), QStringLiteral("frame 2x3"),
                                      QStringLiteral("progress 2/2"), QStringLiteral("finished finished seed 7")}));
        QTRY_COMPARE(feed, (QStringList{QStringLiteral("queued"), QStringLiteral("started"), QStringLiteral("finished")}));
        QCOMPARE(job->state(), JobState::Finished);
        QVERIFY(allOnGui);
    }

    void aChunkReachesOnlyItsOwnHandleExactlyOnce() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        auto job = [](const std::string& text) {
            JobRequest r;
            r.work = [text](JobContext& ctx) {
                for (int i = 0; i < 50; ++i) ctx.emit(TextDelta{text, {}, {}});
            };
            return r;
        };
        const JobHandlePtr a = bridge.submit(job("a"));
        const JobHandlePtr b = bridge.submit(job("b"));
        QString gotA, gotB;
        connect(a.get(), &JobHandle::chunk, this,
                [&](const JobInfo&, const ChunkPtr& c) { gotA += QString::fromStdString(std::get<TextDelta>(*c).text); });
        connect(b.get(), &JobHandle::chunk, this,
                [&](const JobInfo&, const ChunkPtr& c) { gotB += QString::fromStdString(std::get<TextDelta>(*c).text); });
        QTRY_VERIFY(!a->isActive() && !b->isActive());
        QCOMPARE(gotA, QString(50, QLatin1Char('a')));
        QCOMPARE(gotB, QString(50, QLatin1Char('b')));
    }

    void cancelsThroughTheHandle() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        std::atomic<bool> started{false};
        JobRequest r;
        r.work = [&started](JobContext& ctx) {
            started = true;
            while (!ctx.stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        };
        const JobHandlePtr job = bridge.submit(std::move(r));
        QSignalSpy finished(job.get(), &JobHandle::finished);
        QTRY_VERIFY(started.load());
        QVERIFY(job->cancel());
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(1).value<JobState>(), JobState::Cancelled);
        QCOMPARE(job->state(), JobState::Cancelled);
        QVERIFY(!job->cancel());  // ended: nothing to cancel
    }

    void reportsFailuresWithKindAndMessage() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        JobRequest r;
        r.work = [](JobContext&) { throw Error(ErrorKind::Runtime, "boom at step 3"); };
        const JobHandlePtr job = bridge.submit(std::move(r));
        QSignalSpy failed(job.get(), &JobHandle::failed);
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<JobInfo>().id, job->id());
        QCOMPARE(failed.at(0).at(1).value<ErrorKind>(), ErrorKind::Runtime);
        QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("boom at step 3"));
        QCOMPARE(job->state(), JobState::Failed);
    }

    void neverBlocksTheWorker() {
        // The GUI thread does not process events while the job streams
        // thousands of chunks: the job must still finish promptly, and every
        // text delta arrives (none is a preview that may be coalesced).
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        JobRequest r;
        r.work = [](JobContext& ctx) {
            for (int i = 0; i < 20000; ++i) ctx.emit(TextDelta{"x", {}, {}});
        };
        const JobHandlePtr job = bridge.submit(std::move(r));
        QSignalSpy chunks(job.get(), &JobHandle::chunk);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(engine.wait(job->id(), std::chrono::seconds(10)));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(chunks.count(), 0);  // nothing delivered yet: all still queued
        QTRY_COMPARE(chunks.count(), 20000);
    }

    void aSlowReceiverGetsTheLatestPreviewNotABacklog() {
        // 10,000 video frames while the GUI thread is busy: they coalesce into
        // the delivery already waiting, so the queue stays bounded, the final
        // image and the text between them keep their order, and the newest
        // frame is the one shown.
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        constexpr int kFrames = 10000;
        JobRequest r;
        r.work = [](JobContext& ctx) {
            for (int i = 0; i < kFrames; ++i) {
                VideoFrame v;
                v.image = makeImageFrame(1, 1, std::vector<std::uint8_t>(4, 0), i);
                ctx.emit(v);
            }
            ctx.emit(TextDelta{"between", {}, {}});
            for (int i = 0; i < kFrames; ++i) {
                VideoFrame v;
                v.image = makeImageFrame(1, 1, std::vector<std::uint8_t>(4, 0), kFrames + i);
                ctx.emit(v);
            }
            ctx.emit(makeImageFrame(1, 1, std::vector<std::uint8_t>(4, 9)));  // final: never merged
        };
        const JobHandlePtr job = bridge.submit(std::move(r));
        QStringList got;
        connect(job.get(), &JobHandle::chunk, this, [&](const JobInfo&, const ChunkPtr& c) {
            if (const auto* v = std::get_if<VideoFrame>(c.get())) got << QStringLiteral("video %1").arg(v->image.index);
            else if (std::holds_alternative<TextDelta>(*c)) got << QStringLiteral("text");
            else got << QStringLiteral("image");
        });
        QVERIFY(engine.wait(job->id(), std::chrono::seconds(10)));  // the GUI has processed nothing yet
        QTRY_VERIFY(!job->isActive());
        QCOMPARE(got, (QStringList{QStringLiteral("video %1").arg(kFrames - 1), QStringLiteral("text"),
                                   QStringLiteral("video %1").arg(2 * kFrames - 1), QStringLiteral("image")}));
    }

    void aDestroyedHandleNeverReceivesALateEvent() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        std::atomic<bool> started{false};
        int received = 0;
        JobRequest r;
        r.work = [&started](JobContext& ctx) {
            started = true;
            while (!ctx.stopRequested()) {
                ctx.emit(TextDelta{"tick", {}, {}});
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        };
        JobHandlePtr job = bridge.submit(std::move(r));
        const JobId id = job->id();
        connect(job.get(), &JobHandle::chunk, this, [&](const JobInfo&, const ChunkPtr&) { ++received; });
        QTRY_VERIFY(started.load());
        QTRY_VERIFY(received > 0);
        job.reset();  // events in flight, the job still emitting
        const int before = received;
        QTest::qWait(50);
        QCOMPARE(received, before);
        QVERIFY(engine.cancel(id));
        QVERIFY(engine.wait(id, std::chrono::seconds(5)));
        QCoreApplication::processEvents();
        QCOMPARE(received, before);
    }

    void aHandleMayBeReleasedInItsOwnSlot() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        JobRequest r;
        r.work = [](JobContext& ctx) { ctx.emit(TextDelta{"x", {}, {}}); };
        JobHandlePtr job = bridge.submit(std::move(r));
        bool ended = false;
        connect(job.get(), &JobHandle::finished, this, [&](const JobInfo&, JobState, const Provenance&) {
            job.reset();  // as a panel does when a job it replaces ends
            ended = true;
        });
        QTRY_VERIFY(ended);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY(!job);
    }

    void bridgeMayDieWhileTheEngineRuns() {
        Engine engine(bareConfig());
        std::atomic<bool> started{false};
        JobId id = 0;
        int received = 0;
        JobHandlePtr job;
        {
            EngineBridge bridge(engine);
            connect(&bridge, &EngineBridge::jobStarted, this, [&](const JobInfo&) { ++received; });
            JobRequest r;
            r.work = [&started](JobContext& ctx) {
                started = true;
                while (!ctx.stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            };
            job = bridge.submit(std::move(r));
            id = job->id();
            QTRY_VERIFY(started.load());
            QTRY_VERIFY(received > 0);
        }  // the bridge goes away while the job runs; its handle stays usable
        QVERIFY(job->cancel());
        QVERIFY(engine.wait(id, std::chrono::seconds(5)));
        QTRY_COMPARE(job->state(), JobState::Cancelled);
        QCOMPARE(received, 1);
    }

    void metaTypesAreRegistered() {
        registerEngineMetaTypes();
        QVERIFY(QMetaType::fromName("latent::JobInfo").isValid());
        QVERIFY(QMetaType::fromName("latent::Progress").isValid());
        QVERIFY(QMetaType::fromName("latent::ChunkPtr").isValid());
        QVERIFY(QMetaType::fromName("latent::Provenance").isValid());
        QVERIFY(QMetaType::fromName("latent::JobState").isValid());
    }
};

QTEST_MAIN(tst_EngineBridge)
#include "tst_EngineBridge.moc"
