#pragma once
// A job's sink for the decode benchmarks: when its last final chunk (image
// frame or audio block) arrived, the latents its final frames carried, and
// how it ended.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "latent/Chunk.h"
#include "latent/ResultSink.h"

namespace latent::bench {

class TimingSink : public ResultSink {
public:
    using Clock = std::chrono::steady_clock;

    void onStarted(const JobInfo&) override {}
    void onProgress(const JobInfo&, const Progress&) override {}
    void onChunk(const JobInfo&, const ChunkPtr& chunk) override {
        bool final = false;
        const std::vector<float>* latent = nullptr;
        if (const auto* f = std::get_if<ImageFrame>(chunk.get())) {
            final = f->final;
            latent = f->latent.get();
        } else if (const auto* b = std::get_if<AudioBlock>(chunk.get())) {
            final = b->final;
        }
        if (!final) return;
        std::lock_guard lock(m);
        lastFinal = Clock::now();
        if (latent) latents.push_back(*latent);
    }
    void onFinished(const JobInfo&, JobState state, const Provenance&) override { end(state == JobState::Finished, {}); }
    void onError(const JobInfo&, ErrorKind, const std::string& message) override { end(false, message); }

    // Waits for the end; false (with `error`) when the job failed.
    bool wait(std::string& error) {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return ended; });
        error = message;
        return ok;
    }

    std::mutex m;
    std::condition_variable cv;
    Clock::time_point lastFinal;
    std::vector<std::vector<float>> latents;  // of final image frames

private:
    void end(bool success, const std::string& why) {
        {
            std::lock_guard lock(m);
            ended = true;
            ok = success;
            message = why;
        }
        cv.notify_all();
    }
    bool ended = false, ok = false;
    std::string message;
};

}  // namespace latent::bench
