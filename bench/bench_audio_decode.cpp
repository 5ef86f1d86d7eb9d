// One-shot decode of an audio-ddsp package (a given latent -> decoder ->
// harmonic-plus-noise synthesiser; vq: the prior's codes first, as the plugin
// does) through the real engine (audio.decode submitted on an interactive lane
// -> block in the sink, the path a slider drag takes) and through
// generateSound for a batch, against PyTorch eager running the test suite's
// reference (tests/reference/ddsp_reference.py --bench) on the same
// weights, measured in the same run with the same thread count. Prints each
// side's real-time factor (seconds of audio per second of compute) and the
// ratio; asserts nothing.
//
// Usage: bench_audio_decode [THREADS [PACKAGE_DIR ...]] (default: 2 threads,
// random default-size vae and vq packages written to a temporary folder).
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "AudioDatasetRequest.h"
#include "BenchStats.h"
#include "TimingSink.h"
#include "CodePrior.h"
#include "DdspEvaluation.h"
#include "DdspGenerator.h"
#include "DdspNet.h"
#include "FakeJobContext.h"
#include "DdspPackage.h"
#include "DdspSettings.h"
#include "DrumClass.h"
#include "GeneralMidi.h"
#include "PythonPeer.h"
#include "TrainingData.h"
#include "latent/Engine.h"
#include "latent/JobContext.h"
#include "latent/ModelPackage.h"
#include "latent/OpenMpPolicy.h"
#include "latent/PackageFolder.h"
#include "latent/ResultSink.h"
#include "latent/formats/Safetensors.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;
using namespace latent;
using namespace latent::ddsp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kSingleRuns = 40;
constexpr int kBatch = 16;
constexpr int kBatchRuns = 5;

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }


// A package of the trainer's default size (hidden 160, 40 harmonics, 48 noise
// bands, the 11 drum classes and the 12 default GM programs), random weights.
fs::path writeRandomPackage(const fs::path& root, const std::string& bottleneck) {
    DdspConfig c;
    c.classNames = audio::drumClassNames();
    c.pitched.assign(c.classNames.size(), false);
    for (int program : audio::AudioDatasetRequest::defaultPrograms()) {
        c.classNames.push_back(audio::gmProgramName(program));
        c.pitched.push_back(true);
    }
    c.bottleneck = bottleneck;
    torch::manual_seed(bottleneck == "vq" ? 2 : 1);
    DdspNet net(c);
    CodePrior prior{nullptr};
    if (c.isVq()) prior = CodePrior(c);
    net->eval();
    if (prior) prior->eval();
    DdspSettings s;
    s.out = packageOutputFolder((root / ("bench-" + bottleneck)).string(), "audio-ddsp");
    s.id = "bench-" + bottleneck;
    s.bottleneck = bottleneck;
    s.data = "none (random weights)";
    TrainingData train, test;
    Evaluation eval;
    eval.trainLatents = at::randn({64, c.latentDim});
    eval.centroids = at::rand({64}) * 4000;
    test::FakeJobContext ctx;  // writeDdspPackage only logs through it
    writeDdspPackage(ctx, net, prior ? &prior : nullptr, train, test, eval, s, 0, 0, 0);
    return s.out;
}

using bench::TimingSink;

// Seconds from submit to the final block; nullopt (with `error`) when the job failed.
std::optional<double> runJob(Engine& engine, JobRequest r, std::string& error) {
    auto sink = std::make_shared<TimingSink>();
    r.sink = sink;
    const auto t0 = Clock::now();
    engine.submit(std::move(r));
    if (!sink->wait(error)) return std::nullopt;
    return seconds(t0, sink->lastFinal);
}

struct Net {
    DdspConfig config;
    DdspNet net{nullptr};
    CodePrior prior{nullptr};
};

Net loadNet(const fs::path& dir) {
    const ModelPackage p = readModelManifest(dir / "model.json");
    Net n;
    n.config = DdspConfig::fromJson(p.config, (dir / "model.json").string());
    const SafetensorsFile st(dir / "weights.safetensors");
    std::map<std::string, at::Tensor> net, prior;
    for (const auto& [name, t] : loadSafetensorsTensors(st, "cpu"))
        (name.rfind("net.", 0) == 0 ? net[name.substr(4)] : prior[name.substr(6)]) = t;
    n.net = DdspNet(n.config);
    loadModuleWeights(*n.net, net, "weights.safetensors");
    n.net->eval();
    if (n.config.isVq()) {
        n.prior = CodePrior(n.config);
        loadModuleWeights(*n.prior, prior, "weights.safetensors");
        n.prior->eval();
    }
    return n;
}

// generateSound on `count` clips at once (classes in turn, notes at middle C).
double decodeDirect(Net& n, std::int64_t count, std::uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto t0 = Clock::now();
    const at::Tensor classes = at::arange(count, at::kLong).remainder(n.config.numClasses());
    const at::Tensor pitched = pitchedFlags(n.config, classes);
    const Conditions cond{classes, at::where(pitched, at::full({count}, 60, at::kLong), at::full({count}, -1, at::kLong)),
                          at::full({count}, 100, at::kLong)};
    const at::Tensor slider = at::randn({count, n.config.sliderDim()}, gen, at::kFloat) * 0.5;
    const Generated g = generateSound(n.net, n.prior ? &n.prior : nullptr, cond, slider, 1.0, 0, gen);
    (void)g.audio.sum().item<float>();
    return seconds(t0, Clock::now());
}

bool benchPackage(const fs::path& dir, int threads) {
    const ModelPackage package = readModelManifest(dir / "model.json");
    const DdspConfig config = DdspConfig::fromJson(package.config, (dir / "model.json").string());
    const double clipSeconds = double(config.clipFrames) / config.sampleRateHz;
    EngineConfig ec;
    ec.discoverCuda = false;
    ec.threads = threads;
    ec.pluginDirs = {LATENT_PLUGIN_DIR};
    ec.modelDirs = {dir.parent_path()};
    Engine engine(ec);
    std::string error;

    // One clip per job on an interactive lane, as the sliders submit it.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(5));
    std::vector<double> engineSingle;
    for (int i = -3; i < kSingleRuns; ++i) {  // three warm-up jobs, untimed
        const int cls = (i + 3) % config.numClasses();
        JobRequest r;
        r.modelId = package.id;
        r.task = "audio.decode";
        r.lane = "bench/sliders";
        r.seed = std::uint64_t(100 + i);
        r.params = {{"class", config.classNames[std::size_t(cls)]}, {"pitch", std::int64_t(60)}};
        const at::Tensor z = at::randn({config.sliderDim()}, gen, at::kFloat) * 0.5;
        r.inputs.latent.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
        const auto t = runJob(engine, r, error);
        if (!t) {
            std::fprintf(stderr, "%s: decode failed: %s\n", package.id.c_str(), error.c_str());
            return false;
        }
        if (i >= 0) engineSingle.push_back(*t);
    }

    // generateSound directly: one clip, and a batch.
    at::set_num_threads(threads);
    c10::InferenceMode inference;
    Net n = loadNet(dir);
    std::vector<double> directSingle, directBatch;
    for (int i = 0; i < 3; ++i) decodeDirect(n, 1, 50 + std::uint64_t(i));
    for (int i = 0; i < kSingleRuns; ++i) directSingle.push_back(decodeDirect(n, 1, 200 + std::uint64_t(i)));
    decodeDirect(n, kBatch, 7);
    for (int i = 0; i < kBatchRuns; ++i) directBatch.push_back(decodeDirect(n, kBatch, 300 + std::uint64_t(i)));

    const std::string peerCommand = "/usr/bin/python3 " +
                                    bench::shellQuote(std::string(LATENT_SOURCE_DIR) + "/tests/reference/ddsp_reference.py") +
                                    " --bench " + bench::shellQuote(dir.string()) + " " + std::to_string(kSingleRuns) +
                                    " " + std::to_string(kBatch) + " " + std::to_string(kBatchRuns) + " " +
                                    std::to_string(threads);
    const auto peer = bench::runPythonPeer(peerCommand, &error);

    std::printf("\n%s (%s, hidden %d, %d harmonics, %d noise bands, %.2f s clips at %d Hz), %d threads\n",
                package.id.c_str(), config.bottleneck.c_str(), config.hidden, config.harmonics, config.noiseBands,
                clipSeconds, config.sampleRateHz, threads);
    const auto rtf = [&](double s, std::int64_t clips) { return double(clips) * clipSeconds / s; };
    const auto engineStats = bench::stats(engineSingle), directStats = bench::stats(directSingle);
    const double directBatchMedian = bench::stats(directBatch).median;
    std::printf("%-36s %9.2f ms median  RTF %8.1f\n", "Latent Studio engine, 1 clip/job", engineStats.median * 1e3,
                rtf(engineStats.median, 1));
    std::printf("%-36s %9.2f ms median  RTF %8.1f\n", "Latent Studio generateSound, 1 clip", directStats.median * 1e3,
                rtf(directStats.median, 1));
    std::printf("%-36s %9.2f ms median  RTF %8.1f\n",
                ("Latent Studio generateSound, " + std::to_string(kBatch) + " clips").c_str(), directBatchMedian * 1e3,
                rtf(directBatchMedian, kBatch));
    if (!peer) {
        std::printf("PyTorch eager peer unavailable: %s\n", error.c_str());
        return true;
    }
    const double peerSingle = bench::stats(peer->at("single_s").get<std::vector<double>>()).median;
    const double peerBatch = bench::stats(peer->at("batch_s").get<std::vector<double>>()).median;
    std::printf("%-36s %9.2f ms median  RTF %8.1f\n", "PyTorch eager (reference), 1 clip", peerSingle * 1e3,
                rtf(peerSingle, 1));
    std::printf("%-36s %9.2f ms median  RTF %8.1f\n",
                ("PyTorch eager (reference), " + std::to_string(kBatch) + " clips").c_str(), peerBatch * 1e3,
                rtf(peerBatch, kBatch));
    std::printf("ratio C++ / PyTorch real-time factor: engine 1 clip %.2fx, generateSound 1 clip %.2fx, batch %d %.2fx\n",
                peerSingle / engineStats.median, peerSingle / directStats.median, kBatch, peerBatch / directBatchMedian);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // As the app runs: OpenMP threads sleep between parallel regions (for this
    // process and the PyTorch peer it starts).
    ensurePassiveOpenMp(argv);
    const int threads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2;
    std::vector<fs::path> packages;
    for (int i = 2; i < argc; ++i) packages.emplace_back(argv[i]);
    const fs::path tmp = fs::temp_directory_path() / ("latent-bench-ddsp-" + std::to_string(::getpid()));
    try {
        if (packages.empty()) {
            fs::create_directories(tmp);
            packages = {writeRandomPackage(tmp, "vae"), writeRandomPackage(tmp, "vq")};
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cannot write the benchmark packages: %s\n", e.what());
        return 1;
    }
    bool ok = true;
    for (const auto& dir : packages) {
        try {
            ok = benchPackage(dir, threads) && ok;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", dir.c_str(), e.what());
            ok = false;
        }
    }
    std::error_code ec;
    fs::remove_all(tmp, ec);
    return ok ? 0 : 1;
}
