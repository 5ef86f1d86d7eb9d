#pragma once
// The Qt-free inference engine: a job queue and one worker thread per device,
// the plugin host, the model registry and the model cache.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "latent/DeviceInfo.h"
#include "latent/EngineConfig.h"
#include "latent/JobInfo.h"
#include "latent/JobRequest.h"
#include "latent/TaskInfo.h"
#include "latent/library/RecordedResult.h"

namespace latent {

class ModelCache;
class ResultLibrary;
class ModelRegistry;
class PluginHost;
class ResultSink;
struct ModelPackage;

class Engine {
public:
    // Discovers devices, plugins (without loading their code) and models.
    explicit Engine(EngineConfig config);
    ~Engine();  // shutdown() with a short grace period
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Never throws for a bad request: the job fails with a typed error instead.
    JobId submit(JobRequest request);
    // Returns at once. A queued job ends Cancelled immediately; a running one
    // when its body next checks the stop flag. False for unknown/ended jobs.
    bool cancel(JobId id);
    void cancelAll();
    void pause();   // workers finish their current job, then wait
    void resume();
    bool paused() const;
    // Moves a queued job to just before `before` (0: to the end of the
    // queue); the user's order then wins over priorities. False when either
    // job is not queued.
    bool moveQueued(JobId id, JobId before);
    // Queued jobs, in the order they will run.
    std::vector<JobId> queuedOrder() const;
    // Resubmits the jobs EngineConfig::queueFile kept (queued or running
    // when the studio last stopped). With any, the queue is left paused, so a
    // job that crashed the studio cannot crash it again at once. Returns how
    // many came back; a damaged file is set aside with a warning.
    std::size_t restoreQueue();

    JobState status(JobId id) const;
    std::optional<JobInfo> job(JobId id) const;
    std::vector<JobInfo> jobs() const;  // queued and running, then the recent ended ones
    // Blocks until the job ends or the timeout passes; true if it ended.
    bool wait(JobId id, std::chrono::milliseconds timeout) const;

    // Engine-wide sinks see every job; add them before submitting.
    void addSink(std::shared_ptr<ResultSink> sink);

    // The results library (EngineConfig::resultsDir): null when not
    // configured or when it could not be opened (recordingProblem() says why;
    // jobs still run, their outputs are just not kept).
    ResultLibrary* results();
    std::string recordingProblem() const;
    void setResultsCap(std::uint64_t bytes);  // 0: no cap
    // Called on the library's writer thread once a recorded job's output is
    // kept (or could not be). Add before submitting.
    void addResultListener(std::function<void(const RecordedResult&)> listener);
    // The outcome of a recorded job, waiting for its write; nullopt when the
    // job records nothing (failed, no output, --no-record) or on timeout.
    std::optional<RecordedResult> waitForResult(JobId id, std::chrono::milliseconds timeout);

    // Cancels everything and joins the workers; a body that ignores its stop
    // flag past `grace` is abandoned (detached), never terminated.
    void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(900));

    const std::vector<DeviceInfo>& devices() const;
    const EngineConfig& config() const;
    void setThreads(int threads);  // 0 = all cores; applies from the next job
    int threads() const;           // the effective count
    void setDefaultDevice(const std::string& device);  // throws Error(Device) if unknown
    void setRamBudget(std::size_t bytes);

    PluginHost& plugins();
    ModelRegistry& models();
    ModelCache& cache();

    // The tasks a model offers, resolved once for every caller: the ones its
    // package lists, with the package's defaults as the schema's (loads the
    // family's plugin if needed). Throws Error(ModelPackage|Plugin).
    std::vector<TaskInfo> tasksForModel(const std::string& modelId);

private:
    class Impl;
    std::shared_ptr<Impl> m_impl;  // shared with worker threads
};

}  // namespace latent
