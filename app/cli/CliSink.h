#pragma once
// Collects one CLI job's results on the worker thread; the main thread reads
// them after Engine::wait (which returns only after the terminal event).
#include <map>
#include <mutex>
#include <string>

#include "latent/ResultSink.h"

namespace latent::cli {

class CliSink final : public ResultSink {
public:
    explicit CliSink(bool showProgress) : m_showProgress(showProgress) {}

    void onStarted(const JobInfo& job) override;
    void onProgress(const JobInfo& job, const Progress& progress) override;
    void onChunk(const JobInfo& job, const ChunkPtr& chunk) override;
    void onFinished(const JobInfo& job, JobState state, const Provenance& provenance) override;
    void onError(const JobInfo& job, ErrorKind kind, const std::string& message) override;

    std::mutex mutex;
    std::map<int, ImageFrame> images;  // latest frame per batch index
    std::string text;
    JobState state = JobState::Invalid;
    ErrorKind errorKind = ErrorKind::Invalid;
    std::string error;
    Provenance provenance;

private:
    bool m_showProgress;
};

}  // namespace latent::cli
