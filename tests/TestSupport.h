#pragma once
// Shared test helpers (Qt-free): a temporary directory and a sink that records
// every event and lets a test wait for a job's end.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "latent/ResultSink.h"
#include "latent/JobInfo.h"

// SentencePiece's module is opened with RTLD_DEEPBIND, which AddressSanitizer
// cannot run: its tests skip in the sanitizer build (the plain build runs them).
#if defined(LATENT_SANITIZE)
#define LATENT_SKIP_WITHOUT_SENTENCEPIECE() GTEST_SKIP() << "SentencePiece cannot load under AddressSanitizer"
#else
#define LATENT_SKIP_WITHOUT_SENTENCEPIECE() (void)0
#endif

namespace latent::test {

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        m_path = std::filesystem::temp_directory_path() / ("latent-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

class RecordingSink : public ResultSink {
public:
    struct Ended {
        JobState state = JobState::Invalid;
        ErrorKind kind = ErrorKind::Invalid;
        std::string message;
        Provenance provenance;
        bool stale = false;
    };

    void onQueued(const JobInfo& job) override { add(job.id, "queued"); }
    void onStarted(const JobInfo& job) override {
        add(job.id, "started");
        std::lock_guard lock(m_mutex);
        startOrder.push_back(job.id);
    }
    void onProgress(const JobInfo& job, const Progress& p) override {
        std::lock_guard lock(m_mutex);
        progress[job.id].push_back(p);
    }
    void onChunk(const JobInfo& job, const ChunkPtr& chunk) override {
        std::lock_guard lock(m_mutex);
        chunks[job.id].push_back(chunk);
    }
    void onFinished(const JobInfo& job, JobState state, const Provenance& p) override {
        end(job, Ended{state, ErrorKind::Invalid, {}, p, job.stale});
    }
    void onError(const JobInfo& job, ErrorKind kind, const std::string& message) override {
        end(job, Ended{JobState::Failed, kind, message, {}, job.stale});
    }

    // Waits until `id` ended; returns its record (state Invalid on timeout).
    Ended waitEnd(JobId id, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, timeout, [&] { return ended.count(id) > 0; });
        auto it = ended.find(id);
        return it == ended.end() ? Ended{} : it->second;
    }

    std::vector<std::string> eventsOf(JobId id) {
        std::lock_guard lock(m_mutex);
        return events[id];
    }

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<JobId, std::vector<std::string>> events;
    std::map<JobId, std::vector<Progress>> progress;
    std::map<JobId, std::vector<ChunkPtr>> chunks;
    std::map<JobId, Ended> ended;
    std::map<JobId, int> terminalCount;
    std::vector<JobId> startOrder;

private:
    void add(JobId id, const char* what) {
        std::lock_guard lock(m_mutex);
        events[id].push_back(what);
    }
    void end(const JobInfo& job, Ended e) {
        {
            std::lock_guard lock(m_mutex);
            events[job.id].push_back(jobStateName(e.state));
            ended[job.id] = std::move(e);
            ++terminalCount[job.id];
        }
        m_cv.notify_all();
    }
};

}  // namespace latent::test
