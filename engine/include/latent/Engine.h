#pragma once
// The Qt-free inference engine: a job queue and one worker thread per device,
// the plugin host, the model registry and the model cache.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "latent/DeviceInfo.h"
#include "latent/EngineConfig.h"
#include "latent/JobInfo.h"
#include "latent/JobRequest.h"
#include "latent/TaskInfo.h"

namespace latent {

class ModelCache;
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

    JobState status(JobId id) const;
    std::optional<JobInfo> job(JobId id) const;
    std::vector<JobInfo> jobs() const;  // queued and running, then the recent ended ones
    // Blocks until the job ends or the timeout passes; true if it ended.
    bool wait(JobId id, std::chrono::milliseconds timeout) const;

    // Engine-wide sinks see every job; add them before submitting.
    void addSink(std::shared_ptr<ResultSink> sink);

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
