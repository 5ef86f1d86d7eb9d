#pragma once
// Runs a model job: package -> plugin family -> validated parameters ->
// verified weights -> cached loaded model -> run, and records provenance.
#include <memory>
#include <string>
#include <vector>

#include "latent/JobInputs.h"
#include "latent/Provenance.h"

namespace latent {

class LoadedModel;
class ModelCache;
class ModelRegistry;
class PluginHost;
class WorkerJobContext;
struct EngineConfig;
struct ModelPackage;
struct TaskInfo;

class ModelJobRunner {
public:
    ModelJobRunner(PluginHost& plugins, ModelRegistry& models, ModelCache& cache, const EngineConfig& config);

    // Throws Error with a user-readable message; ctx carries the job.
    // `provenance` is filled once the model is loaded, before it runs, so a
    // job stopped part-way (whose output the user keeps) still says what
    // made it.
    void run(WorkerJobContext& ctx, const std::string& modelId, const std::string& requestedTask,
             Provenance& provenance);

    // A family's model-less task ("train"): parameters validated against the
    // family's trainTask(), run with autograd (no InferenceMode).
    void runFamilyTask(WorkerJobContext& ctx, const std::string& familyId, const std::string& task,
                       Provenance& provenance);

    // The task a request resolves to, its schema's defaults those of the
    // package where it sets them (throws Error(BadArgument|Plugin|ModelPackage)).
    static TaskInfo resolveTask(const std::vector<TaskInfo>& familyTasks, const ModelPackage& package,
                                       const std::string& requestedTask);

private:
    // The edit and input sound a job starts from, for its provenance.
    static void noteInputs(const JobInputs& inputs, Provenance& provenance);
    class Context;
    // The package loaded on `device` through the cache (memory checked,
    // files verified, requirements loaded the same way); `ctx` reports
    // progress for the job's own model, null for a required part.
    std::shared_ptr<LoadedModel> loadModel(const ModelPackage& package, const std::string& device,
                                           WorkerJobContext* ctx, int depth);
    // Refuses a model larger than the memory budget or the free memory
    // before it is hashed or loaded (Error(ModelPackage)), and unloads idle
    // models to make room for it.
    void checkMemory(const ModelPackage& package, const std::string& device);

    PluginHost& m_plugins;
    ModelRegistry& m_models;
    ModelCache& m_cache;
    const EngineConfig& m_config;
};

}  // namespace latent
