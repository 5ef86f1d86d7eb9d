// LogModel stays bounded; QtLogSink takes lines from any thread without
// blocking and hands them to the GUI thread in order.
#include <QtTest>

#include <spdlog/spdlog.h>

#include <thread>
#include <vector>

#include "UiTestSupport.h"
#include "app/Logging.h"
#include "app/QtLogSink.h"
#include "models/LogFilterModel.h"
#include "models/LogModel.h"

using namespace latent;

namespace {
LogEntry entry(int level, const QString& text) {
    LogEntry e;
    e.time = QDateTime::currentDateTime();
    e.level = level;
    e.message = text;
    return e;
}
}  // namespace

class tst_LogModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void keepsTheNewestLines() {
        LogModel model(nullptr, 10);
        std::vector<LogEntry> batch;
        for (int i = 0; i < 7; ++i) batch.push_back(entry(2, QString::number(i)));
        model.append(batch);
        model.append(batch);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.entry(0).message, QStringLiteral("4"));
        QCOMPARE(model.entry(9).message, QStringLiteral("6"));
        std::vector<LogEntry> big;
        for (int i = 0; i < 25; ++i) big.push_back(entry(2, QStringLiteral("b%1").arg(i)));
        model.append(big);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.entry(0).message, QStringLiteral("b15"));
    }

    void filtersByLevel() {
        LogModel model;
        model.append({entry(1, QStringLiteral("debug")), entry(2, QStringLiteral("info")),
                      entry(3, QStringLiteral("warn")), entry(4, QStringLiteral("error"))});
        LogFilterModel filter;
        filter.setSourceModel(&model);
        QCOMPARE(filter.rowCount(), 4);
        filter.setMinimumLevel(3);
        QCOMPARE(filter.rowCount(), 2);
        QCOMPARE(filter.index(0, 0).data(LogModel::MessageRole).toString(), QStringLiteral("warn"));
    }

    void sinkDeliversFromManyThreads() {
        LogModel model(nullptr, 100000);
        auto sink = installGuiLogging(&model, spdlog::level::info);
        constexpr int kThreads = 4;
        constexpr int kLines = 500;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([t] {
                for (int i = 0; i < kLines; ++i) spdlog::info("thread {} line {}", t, i);
            });
        for (auto& th : threads) th.join();  // returns although the GUI thread did not run
        spdlog::debug("below the level: not shown");
        QTRY_COMPARE(model.rowCount(), kThreads * kLines);
        // Lines of one thread keep their order.
        int last = -1;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString m = model.entry(r).message;
            if (!m.startsWith(QLatin1String("thread 2 "))) continue;
            const int n = m.section(QLatin1Char(' '), 3).toInt();
            QVERIFY(n > last);
            last = n;
        }
        QCOMPARE(last, kLines - 1);
        QCOMPARE(model.entry(0).level, int(spdlog::level::info));
        uninstallGuiLogging(sink);
        spdlog::info("after detach");
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), kThreads * kLines);
    }

    void detachedSinkOutlivesItsModel() {
        std::shared_ptr<QtLogSink> sink;
        {
            LogModel model;
            sink = installGuiLogging(&model, spdlog::level::info);
            spdlog::info("queued for a model that is about to die");
            uninstallGuiLogging(sink);
        }
        spdlog::info("the sink is still installed but detached");
        QCoreApplication::processEvents();
        QVERIFY(sink.use_count() >= 1);
    }
};

QTEST_MAIN(tst_LogModel)
#include "tst_LogModel.moc"
