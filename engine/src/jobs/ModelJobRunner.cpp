#include "jobs/ModelJobRunner.h"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

#include "jobs/WorkerJobContext.h"
#include "latent/EngineConfig.h"
#include "latent/Error.h"
#include "latent/ModelCache.h"
#include "latent/ModelRegistry.h"
#include "latent/PluginHost.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/LoadContext.h"
#include "latent/plugin/ModelFamily.h"
#include "models/MemoryEstimate.h"
#include "torch/TorchRuntime.h"

namespace latent {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The package's own defaults (model.json "defaults") become the schema's: the
// GUI's form shows them and a request that leaves a value out gets them.
// Names of other tasks' parameters are skipped; a value that does not fit its
// parameter is the package's error.
void applyPackageDefaults(TaskInfo& task, const ModelPackage& package) {
    if (!package.defaults.is_object()) return;
    for (ParamSpec& spec : task.params) {
        const auto it = package.defaults.find(spec.name);
        if (it == package.defaults.end()) continue;
        const auto value = paramValueFromJson(*it);
        try {
            if (!value) throw Error(ErrorKind::BadArgument, "is not a parameter value");
            spec.defaultValue = validateParams({spec}, {{spec.name, *value}}).at(spec.name);
        } catch (const Error& e) {
            throw Error(ErrorKind::ModelPackage, (package.dir / "model.json").string() + ": field 'defaults." +
                                                     spec.name + "': " + e.what());
        }
    }
}

}  // namespace

ModelJobRunner::ModelJobRunner(PluginHost& plugins, ModelRegistry& models, ModelCache& cache,
                               const EngineConfig& config)
    : m_plugins(plugins), m_models(models), m_cache(cache), m_config(config) {}

TaskInfo ModelJobRunner::resolveTask(const std::vector<TaskInfo>& familyTasks, const ModelPackage& package,
                                     const std::string& requestedTask) {
    const std::string task = requestedTask.empty() ? package.tasks.front() : requestedTask;
    if (std::find(package.tasks.begin(), package.tasks.end(), task) == package.tasks.end())
        throw Error(ErrorKind::BadArgument, "model '" + package.id + "' does not offer task '" + task +
                                                "' (it offers: " + joined(package.tasks) + ")");
    for (const auto& t : familyTasks) {
        if (t.id != task) continue;
        TaskInfo resolved = t;
        applyPackageDefaults(resolved, package);
        return resolved;
    }
    throw Error(ErrorKind::Plugin, "plugin '" + package.family + "' has no task '" + task + "' that model '" +
                                       package.id + "' declares");
}

void ModelJobRunner::checkMemory(const ModelPackage& package, const std::string& device) {
    const std::size_t need = estimateLoadedBytes(package);
    const std::size_t budget = m_cache.budget();
    if (need > budget)
        throw Error(ErrorKind::ModelPackage, "model '" + package.id + "' needs about " + memoryText(need) +
                                                 " once loaded, more than the memory budget of " + memoryText(budget) +
                                                 " (raise it in Settings, or with LATENT_RAM_BUDGET_MB for the CLI)");
    m_cache.makeRoom(need);
    if (device != "cpu") return;  // device memory is the device's to report
    if (const auto free = availableMemoryBytes(); free && need > *free)
        throw Error(ErrorKind::ModelPackage, "model '" + package.id + "' needs about " + memoryText(need) +
                                                 " once loaded, but only " + memoryText(*free) +
                                                 " of memory are free; close other programs or models first");
}

namespace {
constexpr int kMaxRequirementDepth = 8;  // the registry refuses loops; this bounds long chains
}  // namespace

// Resolves a package's requirements for its family: each one is loaded
// through loadModel, so through the cache, once for every model needing it.
class ModelJobRunner::Context final : public LoadContext {
public:
    Context(ModelJobRunner& runner, const ModelPackage& package, std::string device, int depth)
        : m_runner(runner), m_package(package), m_device(std::move(device)), m_depth(depth) {}

    const std::string& device() const override { return m_device; }

    const ModelPackage& requiredPackage(const std::string& role) const override {
        const ModelRequirement* r = m_package.requirement(role);
        if (!r)
            throw Error(ErrorKind::ModelPackage, "model '" + m_package.id + "' lists no requirement of role '" + role +
                                                     "' in model.json \"requires\"");
        auto found = m_parts.find(role);
        if (found == m_parts.end()) found = m_parts.emplace(role, m_runner.m_models.require(r->id)).first;
        return found->second;
    }

    std::shared_ptr<LoadedModel> requireModel(const std::string& role) override {
        const ModelPackage& part = requiredPackage(role);
        if (m_depth + 1 > kMaxRequirementDepth)
            throw Error(ErrorKind::ModelPackage, "model '" + m_package.id + "' requires packages " +
                                                     std::to_string(kMaxRequirementDepth) + " levels deep");
        return m_runner.loadModel(part, m_device, nullptr, m_depth + 1);
    }

private:
    ModelJobRunner& m_runner;
    const ModelPackage& m_package;
    std::string m_device;
    int m_depth;
    mutable std::map<std::string, ModelPackage> m_parts;  // role -> package, as the registry has it
};

std::shared_ptr<LoadedModel> ModelJobRunner::loadModel(const ModelPackage& package, const std::string& device,
                                                       WorkerJobContext* ctx, int depth) {
    const std::string key = package.id + "@" + device;
    if (!m_cache.contains(key)) checkMemory(package, device);
    if (ctx) ctx->progress(0, 0, "verifying " + package.name);
    m_models.verify(package);
    if (ctx) ctx->throwIfStopped();
    return m_cache.get(key, [&] {
        if (ctx) ctx->progress(0, 0, "loading " + package.name);
        Context context(*this, package, device, depth);
        return m_plugins.family(package.family).load(package, context);
    });
}

void ModelJobRunner::runFamilyTask(WorkerJobContext& ctx, const std::string& familyId, const std::string& task,
                                   Provenance& p) {
    ModelFamily& family = m_plugins.family(familyId);
    const auto train = family.trainTask();
    if (task != "train" || !train)
        throw Error(ErrorKind::BadArgument, "the " + familyId + " family has no task '" + task +
                                                "' to run without a model" + (train ? " (it has: train)" : ""));
    ctx.setTask(train->id);
    ctx.setParams(validateParams(train->params, ctx.params()));
    p.appVersion = m_config.appVersion;
    p.pluginId = familyId;
    for (const auto& rec : m_plugins.plugins())
        if (rec.id == familyId) p.pluginVersion = rec.version;
    p.task = train->id;
    p.params = ctx.params();
    p.seed = ctx.seed();
    p.device = ctx.device();
    p.torchVersion = torch_runtime::version();
    family.train(ctx);
}

void ModelJobRunner::noteInputs(const JobInputs& in, Provenance& p) {
    p.latentOffset = in.latentOffset;
    p.latentScale = in.latentScale;
    std::error_code ec;
    if (!in.audioFile.empty() && std::filesystem::is_regular_file(in.audioFile, ec)) {
        p.inputName = std::filesystem::path(in.audioFile).filename().string();
        p.inputSha256 = Sha256::fileHex(in.audioFile);
    } else if (in.audio && in.audio->samples) {
        // A clip handed over in memory is named by its float samples.
        const auto& s = *in.audio->samples;
        p.inputName = "clip";
        p.inputSha256 = Sha256::hex(s.data(), s.size() * sizeof(float));
    }
}

void ModelJobRunner::run(WorkerJobContext& ctx, const std::string& modelId, const std::string& requestedTask,
                         Provenance& p) {
    const ModelPackage package = m_models.require(modelId);
    ModelFamily& family = m_plugins.family(package.family);
    const auto familyTasks = family.tasks();
    const TaskInfo task = resolveTask(familyTasks, package, requestedTask);
    ctx.setTask(task.id);
    ctx.setParams(validateParams(task.params, ctx.params()));

    auto model = loadModel(package, ctx.device(), &ctx, 0);
    ctx.throwIfStopped();

    p.appVersion = m_config.appVersion;
    p.pluginId = package.family;
    for (const auto& rec : m_plugins.plugins())
        if (rec.id == package.family) p.pluginVersion = rec.version;
    p.modelId = package.id;
    if (const auto* f = package.primaryFile()) p.modelSha256 = f->sha256;
    p.task = task.id;
    p.prompt = ctx.inputs().prompt;
    p.params = ctx.params();
    p.seed = ctx.seed();
    p.device = ctx.device();
    p.dtype = model->dtype();
    p.torchVersion = torch_runtime::version();
    noteInputs(ctx.inputs(), p);
    model->run(ctx);
}

}  // namespace latent
