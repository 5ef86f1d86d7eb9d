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
        QStringList events;
        QThread* gui = QThread::currentThread();
        bool allOnGui = true;
        auto note = [&](const QString& e) {
            events << e;
            allOnGui = allOnGui && QThread::currentThread() == gui;
        };
        connect(&bridge, &EngineBridge::jobQueued, this, [&](const JobInfo&) { note(QStringLiteral("queued")); });
        connect(&bridge, &EngineBridge::jobStarted, this, [&](const JobInfo&) { note(QStringLiteral("started")); });
        connect(&bridge, &EngineBridge::jobProgress, this,
                [&](const JobInfo&, const Progress& p) { note(QStringLiteral("progress %1/%2").arg(p.done).arg(p.total)); });
        connect(&bridge, &EngineBridge::jobChunk, this, [&](const JobInfo&, const ChunkPtr& c) {
            const auto* f = std::get_if<ImageFrame>(c.get());
            note(f ? QStringLiteral("frame %1x%2").arg(f->width).arg(f->height) : QStringLiteral("chunk"));
        });
        connect(&bridge, &EngineBridge::jobFinished, this, [&](const JobInfo&, JobState s, const Provenance& prov) {
            note(QStringLiteral("finished %1 seed %2").arg(jobStateName(s)).arg(prov.seed));
        });

        JobRequest r;
        r.label = "bridge test";
        r.seed = 7;
        r.work = [](JobContext& ctx) {
            for (int i = 1; i <= 2; ++i) {
                ctx.emit(makeImageFrame(2, 3, std::vector<std::uint8_t>(2 * 3 * 4, 255)));
                ctx.progress(i, 2);
            }
        };
        const JobId id = bridge.submit(std::move(r));
        QVERIFY(id != 0);
        QTRY_COMPARE(events.size(), 7);
        QCOMPARE(events, (QStringList{QStringLiteral("queued"), QStringLiteral("started"), QStringLiteral("frame 2x3"),
                                      QStringLiteral("progress 1/2"), QStringLiteral("frame 2x3"),
                                      QStringLiteral("progress 2/2"), QStringLiteral("finished finished seed 7")}));
        QVERIFY(allOnGui);
    }

    void reportsFailuresWithKindAndMessage() {
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        QSignalSpy failed(&bridge, &EngineBridge::jobFailed);
        JobRequest r;
        r.work = [](JobContext&) { throw Error(ErrorKind::Runtime, "boom at step 3"); };
        const JobId id = bridge.submit(std::move(r));
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<JobInfo>().id, id);
        QCOMPARE(failed.at(0).at(1).value<ErrorKind>(), ErrorKind::Runtime);
        QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("boom at step 3"));
    }

    void neverBlocksTheWorker() {
        // The GUI thread does not process events while the job streams
        // thousands of chunks: the job must still finish promptly.
        Engine engine(bareConfig());
        EngineBridge bridge(engine);
        QSignalSpy chunks(&bridge, &EngineBridge::jobChunk);
        JobRequest r;
        r.work = [](JobContext& ctx) {
            for (int i = 0; i < 20000; ++i) ctx.emit(TextDelta{"x", {}, {}});
        };
        const JobId id = bridge.submit(std::move(r));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(engine.wait(id, std::chrono::seconds(10)));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(chunks.count(), 0);  // nothing delivered yet: all still queued
        QTRY_COMPARE(chunks.count(), 20000);
    }

    void bridgeMayDieWhileTheEngineRuns() {
        Engine engine(bareConfig());
        std::atomic<bool> started{false};
        JobId id = 0;
        int received = 0;
        {
            EngineBridge bridge(engine);
            connect(&bridge, &EngineBridge::jobChunk, this, [&](const JobInfo&, const ChunkPtr&) { ++received; });
            JobRequest r;
            r.work = [&started](JobContext& ctx) {
                started = true;
                while (!ctx.stopRequested()) {
                    ctx.emit(TextDelta{"tick", {}, {}});
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            };
            id = bridge.submit(std::move(r));
            QTRY_VERIFY(started.load());
            QTRY_VERIFY(received > 0);
        }  // the bridge goes away with events in flight and the job still emitting
        const int before = received;
        QTest::qWait(50);  // worker keeps calling the detached sink
        QVERIFY(engine.cancel(id));
        QVERIFY(engine.wait(id, std::chrono::seconds(5)));
        QCoreApplication::processEvents();
        QCOMPARE(received, before);  // nothing reached the dead bridge
        QCOMPARE(engine.status(id), JobState::Cancelled);
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
