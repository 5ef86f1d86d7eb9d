#pragma once
// Receives a job's life on the worker thread. Implementations must return
// quickly and never block on the GUI (EngineBridge re-emits as queued signals).
#include <string>

#include "latent/Chunk.h"
#include "latent/Error.h"
#include "latent/JobInfo.h"
#include "latent/JobState.h"
#include "latent/Progress.h"
#include "latent/Provenance.h"

namespace latent {


class ResultSink {
public:
    virtual ~ResultSink() = default;
    // The job entered the queue (called on the submitting thread).
    virtual void onQueued(const JobInfo& /*job*/) {}
    virtual void onStarted(const JobInfo& job) = 0;
    virtual void onProgress(const JobInfo& job, const Progress& progress) = 0;
    virtual void onChunk(const JobInfo& job, const ChunkPtr& chunk) = 0;
    // Terminal: state is Finished or Cancelled. A job that never started
    // (cancelled or replaced while queued) only gets onFinished.
    virtual void onFinished(const JobInfo& job, JobState state, const Provenance& provenance) = 0;
    // Terminal: the job failed; `message` is user-readable.
    virtual void onError(const JobInfo& job, ErrorKind kind, const std::string& message) = 0;
};

}  // namespace latent
