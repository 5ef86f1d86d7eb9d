#pragma once
// The per-job ResultSink behind a JobHandle (JobRequest::sink). Like
// BridgeSink it only posts queued calls and never blocks the worker; preview
// chunks are coalesced into the delivery already waiting (JobHandle.h).
#include <memory>
#include <mutex>

#include "latent/ResultSink.h"

namespace latent {

class JobHandle;

class HandleSink final : public ResultSink, public std::enable_shared_from_this<HandleSink> {
public:
    explicit HandleSink(JobHandle* handle) : m_handle(handle) {}

    // Called by the handle's destructor; later events are dropped.
    void detach();
    // Queued calls posted so far (a test measures the bound with it).
    std::size_t posted() const;

    void onStarted(const JobInfo& job) override;
    void onProgress(const JobInfo& job, const Progress& progress) override;
    void onChunk(const JobInfo& job, const ChunkPtr& chunk) override;
    void onFinished(const JobInfo& job, JobState state, const Provenance& provenance) override;
    void onError(const JobInfo& job, ErrorKind kind, const std::string& message) override;

private:
    // A posted delivery of the newest preview; replaced while it waits.
    struct PreviewSlot {
        JobInfo job;
        ChunkPtr chunk;
    };

    template <class F>
    void postLocked(F&& deliver);
    template <class F>
    void post(F&& deliver);

    mutable std::mutex m_mutex;
    JobHandle* m_handle;                  // guarded by m_mutex; null once detached
    std::shared_ptr<PreviewSlot> m_open;  // the waiting preview delivery, if any
    std::size_t m_posted = 0;
};

}  // namespace latent
