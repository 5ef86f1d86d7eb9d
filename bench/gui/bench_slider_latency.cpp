// Slider drag -> frame on screen, through the real path: a QSlider held down
// moves, the Image panel submits image.decode on its interactive lane, the
// engine worker decodes and scores, the frame crosses to the GUI thread
// (EngineBridge), lands in the canvas, and the canvas repaints. Measured per
// bundled image model (or the packages given), against PyTorch eager decoding
// and scoring one image of the same weights (bench/peers/image_decode_peer.py),
// measured in the same run. Usage: bench_slider_latency [PACKAGE_DIR ...]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPushButton>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "BenchStats.h"
#include "gui/BenchStudio.h"
#include "PythonPeer.h"
#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/ModelPackage.h"
#include "latent/OpenMpPolicy.h"
#include "latent/StudioPaths.h"
#include "latent/qt/MetaTypes.h"
#include "mainwindow/MainWindow.h"
#include "models/JobListModel.h"
#include "panels/image/ImagePanel.h"
#include "panels/image/LatentSliders.h"
#include "widgets/Canvas.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {

using bench::waitUntil;

constexpr int kMoves = 200;



// Milliseconds from each slider move to the repainted canvas, or empty on failure.
std::vector<double> dragLatencies(Studio& studio, ImagePanel* panel, const QString& modelId) {
    if (!panel->selectModel(modelId)) {
        std::fprintf(stderr, "%s is not listed in the Image panel\n", qPrintable(modelId));
        return {};
    }
    panel->paramForm()->setValues({{"batch", std::int64_t(1)}});
    panel->seedEdit()->setRandomEachTime(false);
    panel->seedEdit()->setSeed(20261128);
    panel->generateButton()->click();
    const JobId job = panel->currentJob();
    if (job == 0 || !waitUntil([&] { return isTerminal(studio.jobs()->state(job)); }, 60000) ||
        studio.jobs()->state(job) != JobState::Finished || panel->imageCount() < 1) {
        std::fprintf(stderr, "%s: generating the first image failed\n", qPrintable(modelId));
        return {};
    }
    panel->selectImage(0);
    LatentSliders* sliders = panel->latentSliders();
    if (!sliders || sliders->count() == 0 || !sliders->isEditable()) {
        std::fprintf(stderr, "%s: no editable sliders\n", qPrintable(modelId));
        return {};
    }
    Canvas* canvas = panel->canvas();
    QSlider* slider = sliders->slider(0);
    bool arrived = false;
    const auto connection = QObject::connect(canvas, &Canvas::contentChanged, [&] { arrived = true; });
    std::vector<double> out;
    QElapsedTimer clock;
    slider->setSliderDown(true);
    int last = slider->value();
    for (int i = 0; i < kMoves + 5; ++i) {
        int ticks = int(std::lround(250.0 * std::sin(0.37 * (i + 1))));
        if (ticks == last) ++ticks;
        last = ticks;
        arrived = false;
        clock.start();
        slider->setValue(ticks);
        if (!waitUntil([&] { return arrived && !panel->isRendering(); }, 5000)) {
            std::fprintf(stderr, "%s: no frame within 5 s of a slider move\n", qPrintable(modelId));
            out.clear();
            break;
        }
        canvas->repaint();
        if (i >= 5) out.push_back(double(clock.nsecsElapsed()) / 1e6);  // the first moves warm caches up
    }
    slider->setSliderDown(false);
    QObject::disconnect(connection);
    waitUntil([&] { return !panel->isRendering(); }, 5000);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    ensurePassiveOpenMp(argv);  // as the app does
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const auto models = bench::benchModels(argc, argv, {"image-vae", "image-gan", "image-flow"});
    if (models.empty()) {
        std::fprintf(stderr, "no image packages given and none bundled in %s\n", StudioPaths::bundledModelDir().c_str());
        return 1;
    }
    QTemporaryDir home;
    qputenv("LATENT_STUDIO_HOME", home.path().toUtf8());

    QApplication app(argc, argv);
    bench::BenchStudio gui;
    if (!gui.start()) return 1;
    Studio& studio = gui.studio;
    ImagePanel* panel = gui.panel;
    waitUntil([] { return false; }, 300);  // settle: first paints, model list

    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::printf("slider move -> repainted canvas, %d moves per model, %u engine threads (milliseconds)\n", kMoves,
                threads);
    bool ok = true;
    for (const auto& m : models) {
        const QString id = QString::fromStdString(m.package.id);
        const auto ours = dragLatencies(studio, panel, id);
        if (ours.empty()) {
            ok = false;
            continue;
        }
        std::string error;
        const auto peer = bench::runPythonPeer(
            "/usr/bin/python3 " + bench::shellQuote(std::string(LATENT_SOURCE_DIR) + "/bench/peers/image_decode_peer.py") +
                " " + bench::shellQuote(m.dir.string()) + " " + std::to_string(kMoves) + " 1 1 " + std::to_string(threads),
            &error);
        const double goal = m.package.family == "image-flow" ? 33.0 : 16.0;
        const auto s = bench::stats(ours);
        std::printf("\n%s (%s)\n", m.package.id.c_str(), m.package.family.c_str());
        bench::printRow("drag -> frame on screen (studio)", s, "ms");
        if (peer) {
            const auto p = bench::stats(peer->at("single_ms").get<std::vector<double>>());
            bench::printRow("PyTorch eager decode+score only", p, "ms");
            std::printf("median %.2f ms (goal <= %.0f ms): %s; whole GUI path / PyTorch compute alone: %.2fx\n", s.median,
                        goal, s.median <= goal ? "met" : "missed", s.median / p.median);
        } else {
            std::printf("median %.2f ms (goal <= %.0f ms): %s; PyTorch peer unavailable: %s\n", s.median, goal,
                        s.median <= goal ? "met" : "missed", error.c_str());
        }
    }
    return ok ? 0 : 1;
}
