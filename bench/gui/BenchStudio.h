#pragma once
// The GUI benchmarks' app: a started engine and the main window showing the
// Image panel, as a user sees it (construct after QApplication).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <vector>
#include <functional>
#include <cstdlib>
#include <memory>

#include "app/Studio.h"
#include "latent/ModelPackage.h"
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

struct BenchModel {
    std::filesystem::path dir;
    ModelPackage package;
};

// The packages a GUI benchmark runs on: the folders given on its command line
// (their parents go on LATENT_MODEL_PATH, so the studio lists them), else the
// bundled ones; only those of `families`, sorted by id. Call before
// QApplication (it sets the environment the studio reads).
inline std::vector<BenchModel> benchModels(int argc, char** argv, std::initializer_list<const char*> families) {
    std::vector<std::filesystem::path> dirs;
    QString modelPath;
    for (int i = 1; i < argc; ++i) {
        dirs.emplace_back(std::filesystem::absolute(argv[i]));
        modelPath += (modelPath.isEmpty() ? "" : ":") + QString::fromStdString(dirs.back().parent_path().string());
    }
    if (dirs.empty()) {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(StudioPaths::bundledModelDir(), ec)) dirs.push_back(e.path());
    }
    if (!modelPath.isEmpty()) qputenv("LATENT_MODEL_PATH", modelPath.toUtf8());
    std::vector<BenchModel> out;
    for (const auto& dir : dirs) {
        if (!std::filesystem::is_directory(dir)) continue;
        try {
            auto p = readModelManifest(dir / "model.json");
            for (const char* f : families)
                if (p.family == f) {
                    out.push_back({dir, std::move(p)});
                    break;
                }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "skipping %s: %s\n", dir.c_str(), e.what());
        }
    }
    std::sort(out.begin(), out.end(), [](const BenchModel& a, const BenchModel& b) { return a.package.id < b.package.id; });
    return out;
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
