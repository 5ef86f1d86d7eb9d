#pragma once
// The engine-wide sink that turns every recordable job's output into a
// result (DESIGN §5): it keeps each job's final frames and text as they
// stream, and when the job ends hands them to a writer thread, so the
// worker never waits for PNG encoding, hashing or fsync.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "latent/ResultSink.h"
#include "latent/library/RecordedResult.h"
#include "latent/media/AudioClip.h"

namespace latent {

class ResultLibrary;
struct NewResult;

// What a job streamed that its result keeps.
struct JobOutput {
    std::map<int, ImageFrame> images;  // the latest frame per batch index
    std::string text;
    AudioClip audio;                   // blocks placed by their start frames
    std::vector<float> audioLatent;    // the latent an audio model reported

    bool empty() const { return images.empty() && text.empty() && audio.samples.empty(); }
};

class ResultRecorder final : public ResultSink {
public:
    using Listener = std::function<void(const RecordedResult&)>;

    // Opens the library in `folder`; when that fails, recording is off and
    // problem() says why (generation goes on).
    ResultRecorder(std::filesystem::path folder, std::uint64_t capBytes);
    ~ResultRecorder() override;  // writes what is queued, then stops

    ResultLibrary* library() const { return m_library.get(); }
    std::string problem() const;
    void setCap(std::uint64_t capBytes);
    // Called on the writer thread after each job's outcome.
    void addListener(Listener listener);
    // The outcome of `job`, waiting up to `timeout` for its write; nullopt
    // when the job is unknown, had nothing to keep, or the wait timed out.
    std::optional<RecordedResult> wait(JobId job, std::chrono::milliseconds timeout);
    // Blocks until every queued write is done.
    void flush();

    void onStarted(const JobInfo& job) override;
    void onProgress(const JobInfo&, const Progress&) override {}
    void onChunk(const JobInfo& job, const ChunkPtr& chunk) override;
    void onFinished(const JobInfo& job, JobState state, const Provenance& provenance) override;
    void onError(const JobInfo& job, ErrorKind kind, const std::string& message) override;

private:
    struct Collected {
        JobOutput output;
        std::chrono::steady_clock::time_point startedAt;
    };
    struct Pending {
        JobInfo job;
        JobState state;
        Provenance provenance;
        Collected output;
    };
    void writerLoop();
    RecordedResult write(const Pending& pending);
    void publish(const RecordedResult& outcome);

    std::shared_ptr<ResultLibrary> m_library;
    std::string m_problem;
    std::uint64_t m_cap = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<JobId, Collected> m_collecting;
    std::deque<Pending> m_queue;
    std::map<JobId, RecordedResult> m_outcomes;  // the latest few hundred
    std::map<JobId, bool> m_expected;            // queued for the writer, not yet written
    std::vector<Listener> m_listeners;
    bool m_writing = false;
    bool m_stopping = false;
    std::thread m_writer;
};

// The result a finished job's output makes (PNG with provenance per image and
// a thumbnail, the text, or the sound as FLAC with provenance and a waveform
// thumbnail); nullopt when there is nothing to keep.
std::optional<NewResult> makeNewResult(const JobInfo& job, JobState state, const Provenance& provenance,
                                       const JobOutput& output, double durationMs);

}  // namespace latent
