// Slider move -> new sound, through the real path: a QSlider of the Audio
// panel's Latent sliders dock held down moves, the panel submits
// audio.decode on its interactive lane, the engine worker decodes the
// one-shot, the block crosses to the GUI thread (EngineBridge) and starts a
// new take that the player's sink reads from (AudioTakeDevice). Measured per
// audio-ddsp package (bundled, or the package folders given), against PyTorch
// eager decoding one clip of the same weights (tests/reference/ddsp_reference.py
// --bench) in the same run. Also: first block -> first pull by the audio sink
// (start latency), where the machine has an audio output device.
// Usage: bench_audio_latency [PACKAGE_DIR ...]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "BenchStats.h"
#include "PythonPeer.h"
#include "app/Studio.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "gui/BenchStudio.h"
#include "latent/ModelPackage.h"
#include "latent/OpenMpPolicy.h"
#include "latent/StudioPaths.h"
#include "mainwindow/MainWindow.h"
#include "models/JobListModel.h"
#include "panels/audio/AudioPanel.h"
#include "panels/image/LatentSliders.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {

using bench::waitUntil;

constexpr int kMoves = 100;



struct Timings {
    std::vector<double> firstBlockMs;  // move -> the new take's first block on the GUI thread
    std::vector<double> wholeMs;       // move -> the new take complete
    double seconds = 0;                // of one sound
};

Timings dragLatencies(Studio& studio, AudioPanel* panel, const QString& modelId) {
    Timings t;
    if (!panel->selectModel(modelId)) {
        std::fprintf(stderr, "%s is not listed in the Audio panel\n", qPrintable(modelId));
        return t;
    }
    panel->setAutoPlay(false);  // the sink's pull is measured apart, below
    panel->seedEdit()->setRandomEachTime(false);
    panel->seedEdit()->setSeed(20261202);
    panel->generateButton()->click();
    const JobId job = panel->currentJob();
    if (job == 0 || !waitUntil([&] { return isTerminal(studio.jobs()->state(job)); }, 60000) ||
        studio.jobs()->state(job) != JobState::Finished || !panel->take()) {
        std::fprintf(stderr, "%s: generating the first sound failed\n", qPrintable(modelId));
        return t;
    }
    t.seconds = panel->take()->durationSeconds();
    LatentSliders* sliders = panel->latentSliders();
    if (!sliders || sliders->count() == 0 || !sliders->isEditable()) {
        std::fprintf(stderr, "%s: no editable sliders\n", qPrintable(modelId));
        return t;
    }
    QSlider* slider = sliders->slider(0);
    slider->setSliderDown(true);
    int last = slider->value();
    QElapsedTimer clock;
    for (int i = 0; i < kMoves + 5; ++i) {
        int ticks = int(std::lround(150.0 * std::sin(0.37 * (i + 1))));
        if (ticks == last) ++ticks;
        last = ticks;
        const std::shared_ptr<AudioTake> before = panel->take();
        clock.start();
        slider->setValue(ticks);
        if (!waitUntil([&] { return panel->take() != before && panel->take()->frames() > 0; }, 5000)) {
            std::fprintf(stderr, "%s: no block within 5 s of a slider move\n", qPrintable(modelId));
            t.firstBlockMs.clear();
            break;
        }
        const double first = double(clock.nsecsElapsed()) / 1e6;
        waitUntil([&] { return panel->take()->finished() && !panel->isRendering(); }, 5000);
        if (i >= 5) {  // the first moves warm caches up
            t.firstBlockMs.push_back(first);
            t.wholeMs.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
    }
    slider->setSliderDown(false);
    waitUntil([&] { return !panel->isRendering(); }, 5000);
    return t;
}

// First block -> first pull of take samples by the sink, over a few plays.
std::vector<double> startLatencies(AudioPanel* panel) {
    std::vector<double> out;
    AudioPlayer* player = panel->player();
    if (!player->available() || !panel->take()) return out;
    QObject::connect(player, &AudioPlayer::startLatencyMeasured, [&](double ms) { out.push_back(ms); });
    for (int i = 0; i < 20; ++i) {
        player->stop();
        player->seek(0);
        player->play();
        waitUntil([&] { return int(out.size()) > i; }, 2000);
        waitUntil([] { return false; }, 50);
    }
    player->stop();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    ensurePassiveOpenMp(argv);
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const auto models = bench::benchModels(argc, argv, {"audio-ddsp"});
    if (models.empty()) {
        std::fprintf(stderr, "no audio-ddsp packages given and none bundled in %s\n",
                     StudioPaths::bundledModelDir().c_str());
        return 1;
    }
    QTemporaryDir home;
    qputenv("LATENT_STUDIO_HOME", home.path().toUtf8());

    QApplication app(argc, argv);
    bench::BenchStudio gui;
    if (!gui.start()) return 1;
    auto* panel = qobject_cast<AudioPanel*>(gui.window->panel(Modality::Audio));
    gui.window->tabs()->setCurrentWidget(panel);
    waitUntil([] { return false; }, 300);

    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::printf("slider move -> new sound, %d moves per model, %u engine threads (milliseconds)\n", kMoves, threads);
    bool ok = true;
    for (const auto& m : models) {
        const QString id = QString::fromStdString(m.package.id);
        const Timings ours = dragLatencies(gui.studio, panel, id);
        if (ours.firstBlockMs.empty()) {
            ok = false;
            continue;
        }
        std::string error;
        const auto peer = bench::runPythonPeer(
            "/usr/bin/python3 " + bench::shellQuote(std::string(LATENT_SOURCE_DIR) + "/tests/reference/ddsp_reference.py") +
                " --bench " + bench::shellQuote(m.dir.string()) + " " + std::to_string(kMoves) + " 1 1 " +
                std::to_string(threads),
            &error);
        const auto s = bench::stats(ours.firstBlockMs);
        std::printf("\n%s (%s, %.2f s one-shots)\n", m.package.id.c_str(), m.package.family.c_str(), ours.seconds);
        bench::printRow("move -> new take's first block", s, "ms");
        bench::printRow("move -> new take complete", bench::stats(ours.wholeMs), "ms");
        if (peer) {
            std::vector<double> ms;
            for (double v : peer->at("single_s").get<std::vector<double>>()) ms.push_back(v * 1000.0);
            const auto p = bench::stats(ms);
            bench::printRow("PyTorch eager decode only", p, "ms");
            std::printf("median %.2f ms, p95 %.2f ms (goal <= 30 ms): %s; whole GUI path / PyTorch decode alone: %.2fx\n",
                        s.median, s.p95, s.median <= 30.0 ? "met" : "missed", s.median / p.median);
        } else {
            std::printf("median %.2f ms (goal <= 30 ms): %s; PyTorch peer unavailable: %s\n", s.median,
                        s.median <= 30.0 ? "met" : "missed", error.c_str());
        }
        const auto start = startLatencies(panel);
        if (start.empty()) {
            std::printf("first block -> sink: not measured (%s)\n",
                        panel->player()->available() ? "no start was reported" : "no audio output device");
        } else {
            const auto st = bench::stats(start);
            bench::printRow("first block -> first sink pull", st, "ms");
            std::printf("plus %.1f ms the output buffers; median %.1f ms in all (goal <= 100 ms): %s\n",
                        panel->player()->outputBufferMs(), st.median + panel->player()->outputBufferMs(),
                        st.median + panel->player()->outputBufferMs() <= 100.0 ? "met" : "missed");
        }
    }
    return ok ? 0 : 1;
}
