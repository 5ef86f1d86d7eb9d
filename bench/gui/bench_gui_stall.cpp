// GUI event-loop stalls while a CPU-heavy job streams frames into the Image
// panel through the real path (engine worker -> EngineBridge -> panel ->
// canvas), against the same window idle, measured in the same run.
// A 1 ms precise timer records how late each tick is.
#include <QApplication>
#include <QElapsedTimer>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <vector>

#include "BenchStats.h"
#include "gui/BenchStudio.h"
#include "FixturePackage.h"
#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/OpenMpPolicy.h"
#include "latent/StudioPaths.h"
#include "latent/qt/MetaTypes.h"
#include "mainwindow/MainWindow.h"
#include "panels/image/ImagePanel.h"
#include "widgets/ParamForm.h"

using namespace latent;

namespace {

std::vector<double> tickLateness(int durationMs) {
    std::vector<double> late;
    QElapsedTimer clock;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(1);
    qint64 last = -1;
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) late.push_back(std::max(0.0, double(now - last) / 1e6 - 1.0));
        last = now;
    });
    QEventLoop loop;
    QTimer::singleShot(durationMs, &loop, &QEventLoop::quit);
    clock.start();
    timer.start();
    loop.exec();
    return late;
}

}  // namespace

int main(int argc, char** argv) {
    ensurePassiveOpenMp(argv);  // as the app does
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;
    qputenv("LATENT_STUDIO_HOME", home.path().toUtf8());
    qputenv("LATENT_PLUGIN_PATH", LATENT_TEST_PLUGIN_DIR);
    qputenv("LATENT_MODEL_PATH", (home.path() + QStringLiteral("/models")).toUtf8());
    test::writeFixtureImagePackage((home.path() + QStringLiteral("/models")).toStdString(), "bench-pattern");

    QApplication app(argc, argv);
    bench::BenchStudio gui;
    if (!gui.start()) return 1;
    Studio& studio = gui.studio;
    ImagePanel* panel = gui.panel;
    tickLateness(500);  // settle: first paints, model list
    if (!panel->selectModel(QStringLiteral("bench-pattern"))) {
        std::fprintf(stderr, "bench model not listed\n");
        return 1;
    }

    const int ms = 4000;
    const auto idle = bench::stats(tickLateness(ms));
    // 256x256, batch 4, a step every 10 ms of busy CPU: ~400 frames/s to the canvas.
    panel->paramForm()->setValues({{"size", std::int64_t(256)}, {"steps", std::int64_t(1000)},
                                   {"step_ms", std::int64_t(10)}, {"batch", std::int64_t(4)},
                                   {"fail_at_step", std::int64_t(0)}});
    panel->generateButton()->click();
    const auto loaded = bench::stats(tickLateness(ms));
    studio.engine()->cancelAll();

    std::printf("GUI event-loop lateness of a 1 ms timer, %d ms each (milliseconds)\n", ms);
    bench::printRow("idle window (peer)", idle, "ms");
    bench::printRow("job streaming 256px x4 frames", loaded, "ms");
    std::printf("p99 under load: %.2f ms (goal <= 16 ms), ratio to idle p99: %.1fx\n", loaded.p99,
                idle.p99 > 0 ? loaded.p99 / idle.p99 : 0.0);
    return 0;
}
