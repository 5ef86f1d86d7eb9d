#include "latent/ui/GuiMain.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QIcon>
#include <QStyleFactory>
#include <QTimer>

#include <chrono>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "app/Logging.h"
#include "app/QtLogSink.h"
#include "app/Studio.h"
#include "app/Theme.h"
#include "app/UiResources.h"
#include "audio/MediaBackend.h"
#include "latent/BuildInfo.h"
#include "latent/StudioPaths.h"
#include "mainwindow/MainWindow.h"
#include "models/LogModel.h"

namespace latent {

int runGui(int& argc, char** argv) {
    QElapsedTimer startClock;
    startClock.start();
    chooseMediaBackend();  // before the QApplication: Qt Multimedia reads QT_MEDIA_BACKEND once
    QApplication::setOrganizationName(QStringLiteral("LatentStudio"));
    QApplication::setApplicationName(QStringLiteral("Latent Studio"));
    QApplication::setApplicationVersion(QStringLiteral(LATENT_APP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("latent-studio"));
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    initUiResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));

    // The log model exists before anything logs, so the log view shows the
    // whole session; the sink is detached before the model dies.
    LogModel logModel;
    int rc = 0;
    std::shared_ptr<QtLogSink> sink;
    {
        Studio studio;
        sink = installGuiLogging(&logModel, logLevelFromName(studio.settings().logLevel()));
        applyTheme(studio.settings().theme());
        spdlog::info("Latent Studio {} starting; data folder {}", LATENT_APP_VERSION, StudioPaths::dataDir().string());

        EngineConfig config = StudioPaths::defaultEngineConfig();
        studio.settings().applyTo(config);
        // Queued jobs outlive a restart (or a crash): kept beside the results.
        if (!config.resultsDir.empty()) config.queueFile = config.resultsDir / "queue.json";

        MainWindow window(studio, &logModel);
        window.show();
        // Once the bridge exists, so the queue view sees every restored job.
        QObject::connect(&studio, &Studio::engineStarted, &studio, [&studio] { studio.restoreQueue(); });
        // The engine scans plugin and model folders (and may probe CUDA) on a
        // helper thread; the window is usable meanwhile and fills in after.
        studio.startEngine(std::move(config), /*async=*/true);
        QTimer::singleShot(0, &window, [&startClock] {
            spdlog::info("Main window shown {} ms after start", startClock.elapsed());
            // bench/gui/bench_startup measures exec -> first shown window from
            // outside the process, on the monotonic clock both share.
            if (qEnvironmentVariableIsSet("LATENT_STUDIO_EXIT_WHEN_SHOWN")) {
                std::printf("window-shown-monotonic-ns %lld\n",
                            static_cast<long long>(std::chrono::steady_clock::now().time_since_epoch().count()));
                std::fflush(stdout);
                QCoreApplication::quit();
            }
        });
        // Quit never waits on a job: cancel everything and join the workers
        // within the engine's grace period.
        QObject::connect(&app, &QCoreApplication::aboutToQuit, &studio, [&studio] { studio.shutdown(); });
        rc = QApplication::exec();
        studio.shutdown();
    }
    uninstallGuiLogging(sink);
    return rc;
}

}  // namespace latent
