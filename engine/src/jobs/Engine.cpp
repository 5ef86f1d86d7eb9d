#include "latent/Engine.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>

#include <spdlog/spdlog.h>

#include "jobs/JobQueue.h"
#include "jobs/JobRecord.h"
#include "jobs/ModelJobRunner.h"
#include "jobs/Worker.h"
#include "jobs/WorkerJobContext.h"
#include "latent/Error.h"
#include "latent/ModelCache.h"
#include "latent/ModelRegistry.h"
#include "latent/PluginHost.h"
#include "latent/ResultSink.h"
#include "latent/plugin/ModelFamily.h"
#include "torch/TorchRuntime.h"

namespace latent {

namespace {
constexpr std::size_t kEndedJobsKept = 500;
}

// Shared with the worker threads, so an abandoned (detached) worker can never
// outlive what it touches.
class Engine::Impl : public std::enable_shared_from_this<Engine::Impl> {
public:
    explicit Impl(EngineConfig cfg)
        : config(std::move(cfg)),
          devices(torch_runtime::discoverDevices(config.discoverCuda)),
          plugins(config.pluginDirs),
          models(config.modelDirs, config.dataDir.empty() ? std::filesystem::path()
                                                          : config.dataDir / "checksums.json"),
          cache(config.ramBudgetBytes),
          runner(plugins, models, cache, config),
          threads(config.threads) {
        plugins.discover();
        if (!hasDevice(config.defaultDevice)) {
            spdlog::warn("device '{}' is not available; using cpu", config.defaultDevice);
            config.defaultDevice = "cpu";
        }
    }

    void startWorkers() {
        for (const auto& d : devices) {
            auto self = shared_from_this();
            workers.push_back(std::make_unique<Worker>(d.id, [self, device = d.id] { self->workerLoop(device); }));
        }
    }

    bool hasDevice(const std::string& id) const {
        return std::any_of(devices.begin(), devices.end(), [&](const DeviceInfo& d) { return d.id == id; });
    }

    void workerLoop(const std::string& device);
    void runJob(const std::shared_ptr<JobRecord>& rec);
    void finish(const std::shared_ptr<JobRecord>& rec, JobState state);
    std::shared_ptr<JobRecord> findLocked(JobId id) const {
        auto it = active.find(id);
        return it == active.end() ? nullptr : it->second;
    }

    EngineConfig config;
    const std::vector<DeviceInfo> devices;
    PluginHost plugins;
    ModelRegistry models;
    ModelCache cache;
    ModelJobRunner runner;
    std::atomic<int> threads;
    JobQueue queue;

    mutable std::mutex mutex;  // guards everything below and JobRecord::info
    mutable std::condition_variable ended;
    std::map<JobId, std::shared_ptr<JobRecord>> active;
    std::deque<JobInfo> recent;
    std::vector<std::shared_ptr<ResultSink>> sinks;
    JobId nextId = 0;
    std::atomic<bool> stopping{false};
    std::vector<std::unique_ptr<Worker>> workers;
    std::mt19937_64 seedRng{std::random_device{}()};
};

void Engine::Impl::workerLoop(const std::string& device) {
    while (auto rec = queue.pop(device)) runJob(rec);
}

void Engine::Impl::runJob(const std::shared_ptr<JobRecord>& rec) {
    JobInfo snap;
    {
        std::lock_guard lock(mutex);
        rec->info.state = JobState::Running;
        rec->startedAt = std::chrono::steady_clock::now();
        snap = rec->snapshot();
    }
    rec->emitStarted(snap);
    spdlog::debug("job {} started on {}: {}", snap.id, snap.device, snap.label);

    WorkerJobContext ctx(rec, stopping);
    Provenance provenance;
    JobState state = JobState::Finished;
    ErrorKind kind = ErrorKind::Invalid;
    std::string message;
    try {
        torch_runtime::applyThreadCount(threads.load());
        // InferenceMode only for inference: training (and engine chores)
        // run with autograd as they are, so no family switches it off again.
        if (rec->request.work) {
            rec->request.work(ctx);
            provenance.appVersion = config.appVersion;
            provenance.task = ctx.task();
            provenance.prompt = ctx.inputs().prompt;
            provenance.params = ctx.params();
            provenance.seed = ctx.seed();
            provenance.device = ctx.device();
        } else if (!rec->request.family.empty()) {
            runner.runFamilyTask(ctx, rec->request.family, rec->request.task, provenance);
        } else {
            torch_runtime::runInInferenceMode(
                [&] { runner.run(ctx, rec->request.modelId, rec->request.task, provenance); });
        }
        if (ctx.stopRequested()) state = JobState::Cancelled;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled || ctx.stopRequested()) {
            state = JobState::Cancelled;
        } else {
            state = JobState::Failed;
            kind = e.kind();
            message = e.what();
        }
    } catch (const std::exception& e) {
        state = ctx.stopRequested() ? JobState::Cancelled : JobState::Failed;
        kind = ErrorKind::Runtime;
        message = torch_runtime::describe(e);
    } catch (...) {
        state = JobState::Failed;
        kind = ErrorKind::Runtime;
        message = "the job failed with an unknown error";
    }

    {
        std::lock_guard lock(mutex);
        rec->info.state = state;
        snap = rec->snapshot();
    }
    if (state == JobState::Failed) {
        spdlog::error("job {} ({}) failed: {}", snap.id, snap.label, message);
        rec->emitError(snap, kind, message);
    } else {
        spdlog::debug("job {} {}", snap.id, jobStateName(state));
        rec->emitFinished(snap, state, provenance);
    }
    finish(rec, state);
}

// Moves a job to the ended list and wakes wait(); call after its terminal event.
void Engine::Impl::finish(const std::shared_ptr<JobRecord>& rec, JobState state) {
    {
        std::lock_guard lock(mutex);
        rec->info.state = state;
        active.erase(rec->info.id);
        recent.push_back(rec->snapshot());
        while (recent.size() > kEndedJobsKept) recent.pop_front();
    }
    ended.notify_all();
}

Engine::Engine(EngineConfig config) : m_impl(std::make_shared<Impl>(std::move(config))) {
    m_impl->startWorkers();
    spdlog::info("engine ready: {} device(s), {} plugin(s), {} model package(s)", m_impl->devices.size(),
                 m_impl->plugins.plugins().size(), m_impl->models.entries().size());
}

Engine::~Engine() { shutdown(); }

JobId Engine::submit(JobRequest request) {
    auto& d = *m_impl;
    JobInfo info;
    info.label = !request.label.empty()   ? request.label
                 : request.work           ? std::string("task")
                 : !request.family.empty() ? request.family + " · " + request.task
                                          : request.modelId + (request.task.empty() ? "" : " · " + request.task);
    info.modelId = request.modelId;
    info.task = request.task;
    info.lane = request.lane;
    info.priority = request.priority;
    info.device = request.device.empty() ? d.config.defaultDevice : request.device;
    info.submittedAt = std::chrono::steady_clock::now();

    std::shared_ptr<JobRecord> rec;
    std::vector<std::shared_ptr<JobRecord>> replaced;
    std::string failure;
    ErrorKind failureKind = ErrorKind::BadArgument;
    {
        std::lock_guard lock(d.mutex);
        info.id = ++d.nextId;
        // Seeds stay below 2^32 so they survive JSON, spin boxes and other tools.
        info.seed = request.seed ? *request.seed : d.seedRng() & 0xffffffffu;
        rec = std::make_shared<JobRecord>(info, std::move(request), d.sinks);
        d.active[info.id] = rec;
        if (d.stopping) {
            failure = "the engine is shutting down";
            failureKind = ErrorKind::Cancelled;
        } else if (!d.hasDevice(info.device)) {
            std::string known;
            for (const auto& dev : d.devices) known += (known.empty() ? "" : ", ") + dev.id;
            failure = "unknown device '" + info.device + "' (available: " + known + ")";
            failureKind = ErrorKind::Device;
        } else if (!rec->request.work && rec->request.modelId.empty() && rec->request.family.empty()) {
            failure = "no model given";
        }
        if (failure.empty() && !info.lane.empty()) {
            replaced = d.queue.takeLane(info.lane);
            for (auto& r : replaced) r->info.state = JobState::Cancelled;
            // Whatever else is live on the lane is running, or popped by a
            // worker a moment ago: either way it is now outdated.
            for (auto& [id, other] : d.active)
                if (other != rec && other->info.lane == info.lane && !isTerminal(other->info.state))
                    other->stale = true;
        }
    }

    for (auto& r : replaced) {
        JobInfo snap;
        {
            std::lock_guard lock(d.mutex);
            snap = r->snapshot();
        }
        r->emitFinished(snap, JobState::Cancelled, Provenance{});
        d.finish(r, JobState::Cancelled);
    }

    rec->emitQueued(info);
    if (!failure.empty()) {
        {
            std::lock_guard lock(d.mutex);
            rec->info.state = JobState::Failed;
        }
        spdlog::error("job {} ({}) rejected: {}", info.id, info.label, failure);
        auto snap = info;
        snap.state = JobState::Failed;
        rec->emitError(snap, failureKind, failure);
        d.finish(rec, JobState::Failed);
        return info.id;
    }
    // Queued only after onQueued went out, so sinks see events in order; a
    // cancel() in between finds it running-or-queued and is honoured by the flag.
    {
        std::lock_guard lock(d.mutex);
        if (rec->stop) {
            rec->info.state = JobState::Cancelled;
        } else {
            d.queue.push(rec);
            return info.id;
        }
    }
    auto snap = info;
    snap.state = JobState::Cancelled;
    rec->emitFinished(snap, JobState::Cancelled, Provenance{});
    d.finish(rec, JobState::Cancelled);
    return info.id;
}

bool Engine::cancel(JobId id) {
    auto& d = *m_impl;
    std::shared_ptr<JobRecord> rec;
    JobInfo snap;
    {
        std::lock_guard lock(d.mutex);
        rec = d.findLocked(id);
        if (!rec || isTerminal(rec->info.state)) return false;
        rec->stop = true;
        if (!d.queue.remove(id)) return true;  // running (or not yet queued): the flag ends it
        rec->info.state = JobState::Cancelled;
        snap = rec->snapshot();
    }
    rec->emitFinished(snap, JobState::Cancelled, Provenance{});
    d.finish(rec, JobState::Cancelled);
    return true;
}

void Engine::cancelAll() {
    std::vector<JobId> ids;
    {
        std::lock_guard lock(m_impl->mutex);
        for (const auto& [id, rec] : m_impl->active) ids.push_back(id);
    }
    for (auto id : ids) cancel(id);
}

void Engine::pause() { m_impl->queue.setPaused(true); }
void Engine::resume() { m_impl->queue.setPaused(false); }
bool Engine::paused() const { return m_impl->queue.paused(); }

JobState Engine::status(JobId id) const {
    auto j = job(id);
    return j ? j->state : JobState::Invalid;
}

std::optional<JobInfo> Engine::job(JobId id) const {
    std::lock_guard lock(m_impl->mutex);
    if (auto rec = m_impl->findLocked(id)) return rec->snapshot();
    for (auto it = m_impl->recent.rbegin(); it != m_impl->recent.rend(); ++it)
        if (it->id == id) return *it;
    return std::nullopt;
}

std::vector<JobInfo> Engine::jobs() const {
    std::lock_guard lock(m_impl->mutex);
    std::vector<JobInfo> out;
    for (const auto& [id, rec] : m_impl->active) out.push_back(rec->snapshot());
    out.insert(out.end(), m_impl->recent.begin(), m_impl->recent.end());
    return out;
}

bool Engine::wait(JobId id, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_impl->mutex);
    return m_impl->ended.wait_for(lock, timeout, [&] {
        auto rec = m_impl->findLocked(id);
        return !rec;  // ended jobs leave the active map after their terminal event
    });
}

void Engine::addSink(std::shared_ptr<ResultSink> sink) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->sinks.push_back(std::move(sink));
}

void Engine::shutdown(std::chrono::milliseconds grace) {
    auto& d = *m_impl;
    {
        std::lock_guard lock(d.mutex);
        if (d.stopping && d.workers.empty()) return;
        d.stopping = true;
        for (auto& [id, rec] : d.active) rec->stop = true;
    }
    for (auto& rec : d.queue.close()) {
        JobInfo snap;
        {
            std::lock_guard lock(d.mutex);
            rec->info.state = JobState::Cancelled;
            snap = rec->snapshot();
        }
        rec->emitFinished(snap, JobState::Cancelled, Provenance{});
        d.finish(rec, JobState::Cancelled);
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    for (auto& w : d.workers) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        w->joinFor(std::max(left, std::chrono::milliseconds(0)));
    }
    d.workers.clear();
}

const std::vector<DeviceInfo>& Engine::devices() const { return m_impl->devices; }
const EngineConfig& Engine::config() const { return m_impl->config; }

void Engine::setThreads(int threads) { m_impl->threads = std::max(0, threads); }

int Engine::threads() const {
    const int t = m_impl->threads.load();
    return t > 0 ? t : torch_runtime::hardwareThreads();
}

void Engine::setDefaultDevice(const std::string& device) {
    if (!m_impl->hasDevice(device)) throw Error(ErrorKind::Device, "unknown device '" + device + "'");
    std::lock_guard lock(m_impl->mutex);
    m_impl->config.defaultDevice = device;
}

void Engine::setRamBudget(std::size_t bytes) {
    m_impl->cache.setBudget(bytes);
    std::lock_guard lock(m_impl->mutex);
    m_impl->config.ramBudgetBytes = bytes;
}

PluginHost& Engine::plugins() { return m_impl->plugins; }
ModelRegistry& Engine::models() { return m_impl->models; }
ModelCache& Engine::cache() { return m_impl->cache; }

std::vector<TaskInfo> Engine::tasksForModel(const std::string& modelId) {
    const ModelPackage package = m_impl->models.require(modelId);
    auto familyTasks = m_impl->plugins.tasks(package.family);
    std::vector<TaskInfo> out;
    for (const auto& t : package.tasks)
        out.push_back(ModelJobRunner::resolveTask(familyTasks, package, t));
    return out;
}

}  // namespace latent
