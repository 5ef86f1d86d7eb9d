#include "latent/Engine.h"

#include <algorithm>
#include <condition_variable>
#include <thread>
#include <deque>
#include <map>
#include <mutex>
#include <random>

#include <spdlog/spdlog.h>

#include "jobs/JobQueue.h"
#include "jobs/JobRecord.h"
#include "jobs/ModelJobRunner.h"
#include "jobs/QueueStore.h"
#include "jobs/Worker.h"
#include "jobs/WorkerJobContext.h"
#include "latent/Error.h"
#include "latent/ModelCache.h"
#include "latent/ModelRegistry.h"
#include "latent/PluginHost.h"
#include "latent/ResultSink.h"
#include "latent/library/ResultLibrary.h"
#include "library/ResultRecorder.h"
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
        if (!config.resultsDir.empty()) {
            recorder = std::make_shared<ResultRecorder>(config.resultsDir, config.resultsCapBytes);
            sinks.push_back(recorder);
        }
        if (!hasDevice(config.defaultDevice)) {
            spdlog::warn("device '{}' is not available; using cpu", config.defaultDevice);
            config.defaultDevice = "cpu";
        }
    }

    ~Impl() {
        {
            std::lock_guard lock(queueFileMutex);
            queueWriterStop = true;
        }
        queueCv.notify_all();
        if (queueWriter.joinable()) queueWriter.join();
    }

    void startWorkers() {
        if (!config.queueFile.empty()) queueWriter = std::thread([this] { queueWriterLoop(); });
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
    // The queue file is written on a thread of its own: submit, pause and
    // reorder run on the GUI thread, which must not wait for an fsync. Bursts
    // of changes coalesce into one write of the newest state.
    void persistQueue();
    void flushQueueFile();  // waits until the newest state is on disk
    void queueWriterLoop();
    void writeQueueFile();
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
    std::shared_ptr<ResultRecorder> recorder;  // null: results are not recorded
    std::mutex queueFileMutex;                 // guards the three flags below
    std::condition_variable queueCv;
    bool queueDirty = false, queueWriting = false, queueWriterStop = false;
    std::thread queueWriter;
};

void Engine::Impl::persistQueue() {
    if (config.queueFile.empty() || stopping) return;
    {
        std::lock_guard lock(queueFileMutex);
        queueDirty = true;
    }
    queueCv.notify_all();
}

void Engine::Impl::flushQueueFile() {
    std::unique_lock lock(queueFileMutex);
    queueCv.wait(lock, [&] { return (!queueDirty && !queueWriting) || !queueWriter.joinable(); });
}

void Engine::Impl::queueWriterLoop() {
    std::unique_lock lock(queueFileMutex);
    for (;;) {
        queueCv.wait(lock, [&] { return queueDirty || queueWriterStop; });
        if (!queueDirty) return;
        queueDirty = false;
        queueWriting = true;
        lock.unlock();
        writeQueueFile();
        lock.lock();
        queueWriting = false;
        queueCv.notify_all();
    }
}

// Writes the running and queued jobs that can be rebuilt, in run order. Not
// while stopping: the cancellations of a shutdown must not empty the file.
void Engine::Impl::writeQueueFile() {
    if (stopping) return;
    std::vector<JobRequest> requests;
    auto keep = [&](const JobRecord& rec) {
        if (!isPersistable(rec.request)) return;
        requests.push_back(rec.request);
        requests.back().sink = nullptr;
        requests.back().seed = rec.info.seed;  // the one drawn at submit: the same result again
        requests.back().label = rec.info.label;
    };
    {
        std::lock_guard lock(mutex);
        for (const auto& [id, rec] : active)
            if (rec->info.state == JobState::Running) keep(*rec);
    }
    for (const auto& rec : queue.queued()) keep(*rec);
    try {
        saveQueue(config.queueFile, requests, queue.paused());
    } catch (const std::exception& e) {
        spdlog::warn("the queue is not kept across restarts: {}", e.what());
    }
}

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
    if (isPersistable(rec->request)) persistQueue();
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
    if (isPersistable(rec->request)) persistQueue();
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
    info.record = d.recorder && request.record && request.lane.empty() && !request.work && request.family.empty();
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
    bool queued = false;
    {
        std::lock_guard lock(d.mutex);
        if (rec->stop) {
            rec->info.state = JobState::Cancelled;
        } else {
            d.queue.push(rec);
            queued = true;
        }
    }
    if (queued) {
        if (isPersistable(rec->request)) d.persistQueue();
        return info.id;
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

void Engine::pause() {
    m_impl->queue.setPaused(true);
    m_impl->persistQueue();
}

void Engine::resume() {
    m_impl->queue.setPaused(false);
    m_impl->persistQueue();
}

bool Engine::paused() const { return m_impl->queue.paused(); }

bool Engine::moveQueued(JobId id, JobId before) {
    if (!m_impl->queue.move(id, before)) return false;
    m_impl->persistQueue();
    return true;
}

std::vector<JobId> Engine::queuedOrder() const {
    std::vector<JobId> out;
    for (const auto& rec : m_impl->queue.queued()) out.push_back(rec->info.id);
    return out;
}

std::size_t Engine::restoreQueue() {
    auto& d = *m_impl;
    if (d.config.queueFile.empty()) return 0;
    SavedQueue saved;
    try {
        saved = loadQueue(d.config.queueFile);
    } catch (const std::exception& e) {
        // Keep the damaged file for the user to look at, and start empty.
        auto aside = d.config.queueFile;
        aside += ".damaged";
        std::error_code ec;
        std::filesystem::rename(d.config.queueFile, aside, ec);
        spdlog::warn("the saved queue could not be read, so no job was restored ({}); kept as {}", e.what(),
                     aside.string());
        return 0;
    }
    if (saved.requests.empty()) return 0;
    pause();  // before the first one goes in, so none starts
    for (auto& r : saved.requests) submit(std::move(r));
    spdlog::info("{} job(s) restored from the last session; the queue is paused until you resume it",
                 saved.requests.size());
    return saved.requests.size();
}

ResultLibrary* Engine::results() { return m_impl->recorder ? m_impl->recorder->library() : nullptr; }

std::string Engine::recordingProblem() const {
    if (!m_impl->recorder) return m_impl->config.resultsDir.empty() ? "" : "recording is off";
    return m_impl->recorder->problem();
}

void Engine::setResultsCap(std::uint64_t bytes) {
    if (m_impl->recorder) m_impl->recorder->setCap(bytes);
}

void Engine::addResultListener(std::function<void(const RecordedResult&)> listener) {
    if (m_impl->recorder) m_impl->recorder->addListener(std::move(listener));
}

std::optional<RecordedResult> Engine::waitForResult(JobId id, std::chrono::milliseconds timeout) {
    if (!m_impl->recorder) return std::nullopt;
    return m_impl->recorder->wait(id, timeout);
}

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
    // What the user had queued goes to disk before the cancellations below.
    if (!d.stopping) d.flushQueueFile();
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
    if (d.recorder) d.recorder->flush();  // what finished is on disk before we return
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
