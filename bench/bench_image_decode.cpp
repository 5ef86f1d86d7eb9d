// Latent-image decode through the real engine (submit on an interactive lane
// -> frame in the sink: the path a slider drag takes, minus the GUI), and
// images/s for a batch of 64, against PyTorch eager running the test suite's
// reference modules on the same package weights, measured in the same run.
// Both sides do the same work per call: decode, then score (VAE ELBO, flow
// bits/dim). Usage: bench_image_decode [PACKAGE_DIR ...] (default: the
// bundled image models).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "BenchStats.h"
#include "TimingSink.h"
#include "PythonPeer.h"
#include "latent/Engine.h"
#include "latent/ModelPackage.h"
#include "latent/ResultSink.h"

using namespace latent;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kSingleRuns = 200;
constexpr int kBatch = 64;
constexpr int kBatchRuns = 5;

using bench::TimingSink;

struct Timed {
    double seconds = 0;
    std::shared_ptr<TimingSink> sink;
};

std::optional<Timed> runJob(Engine& engine, JobRequest r, std::string& error) {
    auto sink = std::make_shared<TimingSink>();
    r.sink = sink;
    const auto t0 = Clock::now();
    engine.submit(std::move(r));
    if (!sink->wait(error)) return std::nullopt;
    return Timed{std::chrono::duration<double>(sink->lastFinal - t0).count(), sink};
}

std::vector<std::filesystem::path> bundledImageModels() {
    std::vector<std::filesystem::path> out;
    const std::filesystem::path root = std::filesystem::path(LATENT_SOURCE_DIR) / "resources" / "models";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        const auto manifest = entry.path() / "model.json";
        if (!std::filesystem::exists(manifest)) continue;
        try {
            const auto p = readModelManifest(manifest);
            if (p.family == "image-vae" || p.family == "image-gan" || p.family == "image-flow") out.push_back(entry.path());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "skipping %s: %s\n", entry.path().c_str(), e.what());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

double imagesPerSecond(const std::vector<double>& batchSeconds) {
    return double(kBatch) / bench::stats(batchSeconds).median;
}

bool benchPackage(const std::filesystem::path& dir, unsigned threads) {
    const ModelPackage package = readModelManifest(dir / "model.json");
    EngineConfig config;
    config.discoverCuda = false;
    config.threads = int(threads);
    config.pluginDirs = {LATENT_PLUGIN_DIR};
    config.modelDirs = {dir.parent_path()};
    Engine engine(config);
    std::string error;

    // Warm-up and the latents to decode: one sampled batch (GAN latents live in W).
    JobRequest sample;
    sample.modelId = package.id;
    sample.task = "image.sample";
    sample.params = {{"batch", std::int64_t(kBatch)}};
    sample.seed = 7;
    const auto first = runJob(engine, sample, error);
    if (!first || first->sink->latents.size() != std::size_t(kBatch)) {
        std::fprintf(stderr, "%s: sampling failed: %s\n", package.id.c_str(), error.c_str());
        return false;
    }
    const auto latents = first->sink->latents;

    // One image per call on an interactive lane, as the sliders submit it.
    std::vector<double> single;
    for (int i = 0; i < kSingleRuns; ++i) {
        JobRequest r;
        r.modelId = package.id;
        r.task = "image.decode";
        r.lane = "bench/sliders";
        r.inputs.latent = latents[std::size_t(i % kBatch)];
        const auto t = runJob(engine, r, error);
        if (!t) {
            std::fprintf(stderr, "%s: decode failed: %s\n", package.id.c_str(), error.c_str());
            return false;
        }
        single.push_back(t->seconds * 1e3);
    }
    std::vector<double> batch;
    for (int i = 0; i < kBatchRuns; ++i) {
        JobRequest r;
        r.modelId = package.id;
        r.task = "image.decode";
        for (const auto& l : latents) r.inputs.latent.insert(r.inputs.latent.end(), l.begin(), l.end());
        const auto t = runJob(engine, r, error);
        if (!t) {
            std::fprintf(stderr, "%s: batch decode failed: %s\n", package.id.c_str(), error.c_str());
            return false;
        }
        batch.push_back(t->seconds);
    }

    const std::string peerCommand = "/usr/bin/python3 " +
                                    bench::shellQuote(std::string(LATENT_SOURCE_DIR) + "/bench/peers/image_decode_peer.py") +
                                    " " + bench::shellQuote(dir.string()) + " " + std::to_string(kSingleRuns) + " " +
                                    std::to_string(kBatch) + " " + std::to_string(kBatchRuns) + " " +
                                    std::to_string(threads);
    const auto peer = bench::runPythonPeer(peerCommand, &error);

    std::printf("\n%s (%s), decode + score, %u threads\n", package.id.c_str(), package.family.c_str(), threads);
    const auto ours = bench::stats(single);
    bench::printRow("Latent Studio engine, 1 image", ours, "ms");
    const double oursRate = imagesPerSecond(batch);
    if (!peer) {
        std::printf("PyTorch eager peer unavailable: %s\n", error.c_str());
        std::printf("batch %d: Latent Studio %.0f images/s\n", kBatch, oursRate);
        return true;
    }
    const auto theirs = bench::stats(peer->at("single_ms").get<std::vector<double>>());
    bench::printRow("PyTorch eager (reference), 1 image", theirs, "ms");
    const double theirRate = imagesPerSecond(peer->at("batch_s").get<std::vector<double>>());
    std::printf("batch %d: Latent Studio %.0f images/s, PyTorch eager %.0f images/s\n", kBatch, oursRate, theirRate);
    std::printf("ratio PyTorch / studio time: 1 image median %.2fx, batch %d %.2fx\n", theirs.median / ours.median, kBatch,
                oursRate / theirRate);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::filesystem::path> packages;
    for (int i = 1; i < argc; ++i) packages.emplace_back(argv[i]);
    if (packages.empty()) packages = bundledImageModels();
    if (packages.empty()) {
        std::fprintf(stderr, "no image packages given and none bundled in resources/models\n");
        return 1;
    }
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    bool ok = true;
    for (const auto& dir : packages) {
        try {
            ok = benchPackage(dir, threads) && ok;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", dir.c_str(), e.what());
            ok = false;
        }
    }
    return ok ? 0 : 1;
}
