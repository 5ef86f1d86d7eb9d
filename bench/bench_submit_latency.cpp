// Submit -> first chunk latency of a trivial job through the real engine
// (queue, worker wake-up, InferenceMode, sink), against the floor for any
// thread hand-off: a bare std::thread woken by a condition variable that
// answers through another one, measured in the same run.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "BenchStats.h"
#include "latent/Engine.h"
#include "latent/JobContext.h"
#include "latent/ResultSink.h"

using namespace latent;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRuns = 2000;

class FirstChunkSink : public ResultSink {
public:
    void onStarted(const JobInfo&) override {}
    void onProgress(const JobInfo&, const Progress&) override {}
    void onChunk(const JobInfo&, const ChunkPtr&) override {
        std::lock_guard lock(m);
        if (!got) {
            at = Clock::now();
            got = true;
            cv.notify_all();
        }
    }
    void onFinished(const JobInfo&, JobState, const Provenance&) override {}
    void onError(const JobInfo&, ErrorKind, const std::string&) override {}
    std::mutex m;
    std::condition_variable cv;
    bool got = false;
    Clock::time_point at;
};

std::vector<double> engineLatencies() {
    EngineConfig config;
    config.discoverCuda = false;
    config.threads = 1;
    Engine engine(config);
    std::vector<double> out;
    for (int i = 0; i < kRuns; ++i) {
        auto sink = std::make_shared<FirstChunkSink>();
        JobRequest r;
        r.work = [](JobContext& ctx) { ctx.emit(Metric{"value", 1, 0}); };
        r.sink = sink;
        const auto t0 = Clock::now();
        engine.submit(std::move(r));
        std::unique_lock lock(sink->m);
        sink->cv.wait(lock, [&] { return sink->got; });
        out.push_back(std::chrono::duration<double, std::micro>(sink->at - t0).count());
        lock.unlock();
    }
    return out;
}

std::vector<double> bareThreadLatencies() {
    std::mutex m;
    std::condition_variable toWorker, toMain;
    bool request = false, reply = false, quit = false;
    Clock::time_point replyAt;
    std::thread worker([&] {
        std::unique_lock lock(m);
        for (;;) {
            toWorker.wait(lock, [&] { return request || quit; });
            if (quit) return;
            request = false;
            replyAt = Clock::now();
            reply = true;
            toMain.notify_one();
        }
    });
    std::vector<double> out;
    for (int i = 0; i < kRuns; ++i) {
        std::unique_lock lock(m);
        const auto t0 = Clock::now();
        request = true;
        toWorker.notify_one();
        toMain.wait(lock, [&] { return reply; });
        reply = false;
        out.push_back(std::chrono::duration<double, std::micro>(replyAt - t0).count());
    }
    {
        std::lock_guard lock(m);
        quit = true;
    }
    toWorker.notify_one();
    worker.join();
    return out;
}

}  // namespace

int main() {
    std::printf("submit -> first chunk, trivial job, %d runs (microseconds)\n", kRuns);
    const auto peer = bench::stats(bareThreadLatencies());
    const auto ours = bench::stats(engineLatencies());
    bench::printRow("bare thread hand-off (floor)", peer, "us");
    bench::printRow("Latent Studio engine", ours, "us");
    std::printf("ratio engine / floor: median %.1fx, p99 %.1fx\n", ours.median / peer.median, ours.p99 / peer.p99);
    return 0;
}
