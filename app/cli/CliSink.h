#pragma once
// Collects one CLI job's results on the worker thread; the main thread reads
// them after Engine::wait (which returns only after the terminal event).
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "latent/ResultSink.h"
#include "latent/media/AudioClip.h"

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
    AudioClip audio;                   // the blocks placed by their start frames
    std::vector<float> audioLatent;    // the latent an audio model reported
    int audioLatentDims = 0;
    JobState state = JobState::Invalid;
    ErrorKind errorKind = ErrorKind::Invalid;
    std::string error;
    Provenance provenance;

private:
    void addAudio(const AudioBlock& block);

    bool m_showProgress;
};

}  // namespace latent::cli
