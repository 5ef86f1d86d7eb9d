#pragma once
// The GUI benchmarks' app: a started engine and the main window showing the
// Image panel, as a user sees it (construct after QApplication).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <cstdlib>
#include <memory>

#include "app/Studio.h"
#include "latent/StudioPaths.h"
#include "latent/qt/MetaTypes.h"
#include "mainwindow/MainWindow.h"
#include "panels/image/ImagePanel.h"

namespace latent::bench {

// Sleeps in the event loop (never spins: a busy GUI thread would steal the
// engine's core on a 2-core machine) until `done` or the timeout.
inline bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    QTimer tick;  // wakes the loop to re-check the timeout
    tick.start(10);
    while (!done()) {
        if (clock.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

struct BenchStudio {
    Studio studio;
    std::unique_ptr<MainWindow> window;
    ImagePanel* panel = nullptr;

    // False (and says why) when the engine did not start.
    bool start() {
        registerEngineMetaTypes();
        EngineConfig config = StudioPaths::defaultEngineConfig();
        // LATENT_BENCH_NO_RECORD=1 runs without the results library, to
        // measure what recording costs the GUI path (A/B in the same session).
        if (const char* off = std::getenv("LATENT_BENCH_NO_RECORD"); off && *off == '1') config.resultsDir.clear();
        studio.startEngine(std::move(config), /*async=*/false);
        if (!studio.isReady()) {
            std::fprintf(stderr, "engine did not start: %s\n", qPrintable(studio.startError()));
            return false;
        }
        window = std::make_unique<MainWindow>(studio, nullptr);
        window->resize(1500, 940);
        window->show();
        panel = qobject_cast<ImagePanel*>(window->panel(Modality::Image));
        window->tabs()->setCurrentWidget(panel);
        return panel != nullptr;
    }

    ~BenchStudio() {
        window.reset();
        studio.shutdown();
    }
};

}  // namespace latent::bench
