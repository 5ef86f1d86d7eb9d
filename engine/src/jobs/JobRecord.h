#pragma once
// The engine's private state of one job, shared by the queue, the worker and
// the context the job body sees. All sink calls for a job go through here, in
// order, under the job's own event lock.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "latent/JobInfo.h"
#include "latent/JobRequest.h"
#include "latent/ResultSink.h"

namespace latent {

class JobRecord {
public:
    JobRecord(JobInfo info, JobRequest request, std::vector<std::shared_ptr<ResultSink>> sinks);

    JobInfo info;          // guarded by the engine's mutex
    const JobRequest request;
    std::atomic<bool> stop{false};
    std::atomic<bool> stale{false};
    std::chrono::steady_clock::time_point startedAt;
    // The queue's order: rank (the request's priority until the user drags
    // the job elsewhere), then sequence. Guarded by the queue's mutex.
    int rank = 0;
    std::int64_t sequence = 0;

    JobInfo snapshot() const;  // info with the live stale flag; caller holds the engine lock

    void emitQueued(const JobInfo& snap);
    void emitStarted(const JobInfo& snap);
    void emitProgress(const Progress& progress);
    void emitChunk(const ChunkPtr& chunk);
    // Terminal events: only the first one is delivered.
    void emitFinished(const JobInfo& snap, JobState state, const Provenance& provenance);
    void emitError(const JobInfo& snap, ErrorKind kind, const std::string& message);

private:
    template <typename F>
    void each(F&& f);
    std::vector<std::shared_ptr<ResultSink>> m_sinks;
    std::recursive_mutex m_eventMutex;  // a sink may call back into the engine
    JobInfo m_lastSnapshot;             // what progress and chunk events carry
    bool m_terminal = false;
};

}  // namespace latent
