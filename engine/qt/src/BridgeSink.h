#pragma once
// The ResultSink the engine calls on its worker threads. It forwards every
// event to the EngineBridge as a queued call and never blocks: the only lock
// it takes guards the bridge pointer against the bridge's destruction.
#include <mutex>

#include "latent/ResultSink.h"
#include "latent/library/RecordedResult.h"

namespace latent {

class EngineBridge;

class BridgeSink final : public ResultSink {
public:
    explicit BridgeSink(EngineBridge* bridge) : m_bridge(bridge) {}

    // Called by the bridge's destructor; later events are dropped.
    void detach();

    void onQueued(const JobInfo& job) override;
    void onStarted(const JobInfo& job) override;
    void onProgress(const JobInfo& job, const Progress& progress) override;
    void onChunk(const JobInfo& job, const ChunkPtr& chunk) override;
    void onFinished(const JobInfo& job, JobState state, const Provenance& provenance) override;
    void onError(const JobInfo& job, ErrorKind kind, const std::string& message) override;
    // The results library's outcome for a job (its writer thread).
    void onRecorded(const RecordedResult& outcome);

private:
    template <class F>
    void post(F&& deliver);

    std::mutex m_mutex;
    EngineBridge* m_bridge;  // guarded by m_mutex; null once detached
};

}  // namespace latent
