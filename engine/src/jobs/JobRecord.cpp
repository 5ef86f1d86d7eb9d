#include "jobs/JobRecord.h"

#include <spdlog/spdlog.h>

namespace latent {

JobRecord::JobRecord(JobInfo i, JobRequest r, std::vector<std::shared_ptr<ResultSink>> sinks)
    : info(std::move(i)), request(std::move(r)), m_sinks(std::move(sinks)), m_lastSnapshot(info) {
    if (request.sink) m_sinks.push_back(request.sink);
    rank = request.priority;
    sequence = std::int64_t(info.id);
}

JobInfo JobRecord::snapshot() const {
    JobInfo s = info;
    s.stale = stale.load();
    return s;
}

template <typename F>
void JobRecord::each(F&& f) {
    for (const auto& sink : m_sinks) {
        try {
            f(*sink);
        } catch (const std::exception& e) {
            // A faulty observer must not take the job or the worker down.
            spdlog::error("result sink threw for job {}: {}", m_lastSnapshot.id, e.what());
        }
    }
}

void JobRecord::emitQueued(const JobInfo& snap) {
    std::lock_guard lock(m_eventMutex);
    m_lastSnapshot = snap;
    each([&](ResultSink& s) { s.onQueued(snap); });
}

void JobRecord::emitStarted(const JobInfo& snap) {
    std::lock_guard lock(m_eventMutex);
    if (m_terminal) return;
    m_lastSnapshot = snap;
    each([&](ResultSink& s) { s.onStarted(snap); });
}

void JobRecord::emitProgress(const Progress& progress) {
    std::lock_guard lock(m_eventMutex);
    if (m_terminal) return;
    m_lastSnapshot.stale = stale.load();
    each([&](ResultSink& s) { s.onProgress(m_lastSnapshot, progress); });
}

void JobRecord::emitChunk(const ChunkPtr& chunk) {
    std::lock_guard lock(m_eventMutex);
    if (m_terminal) return;
    m_lastSnapshot.stale = stale.load();
    each([&](ResultSink& s) { s.onChunk(m_lastSnapshot, chunk); });
}

void JobRecord::emitFinished(const JobInfo& snap, JobState state, const Provenance& provenance) {
    std::lock_guard lock(m_eventMutex);
    if (m_terminal) return;
    m_terminal = true;
    m_lastSnapshot = snap;
    each([&](ResultSink& s) { s.onFinished(snap, state, provenance); });
}

void JobRecord::emitError(const JobInfo& snap, ErrorKind kind, const std::string& message) {
    std::lock_guard lock(m_eventMutex);
    if (m_terminal) return;
    m_terminal = true;
    m_lastSnapshot = snap;
    each([&](ResultSink& s) { s.onError(snap, kind, message); });
}

}  // namespace latent
