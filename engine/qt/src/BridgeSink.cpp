#include "BridgeSink.h"

#include <QMetaObject>

#include "latent/JobInfo.h"
#include "latent/qt/EngineBridge.h"

namespace latent {

void BridgeSink::detach() {
    std::lock_guard lock(m_mutex);
    m_bridge = nullptr;
}

template <class F>
void BridgeSink::post(F&& deliver) {
    // Holding the mutex while posting keeps the bridge alive for the
    // postEvent call; postEvent only queues, so the worker never waits on the
    // GUI. Events still queued when the bridge dies are discarded by Qt
    // (the bridge is their context object).
    std::lock_guard lock(m_mutex);
    if (!m_bridge) return;
    EngineBridge* bridge = m_bridge;
    QMetaObject::invokeMethod(
        bridge, [bridge, deliver = std::forward<F>(deliver)]() { deliver(*bridge); },
        Qt::QueuedConnection);
}

void BridgeSink::onQueued(const JobInfo& job) {
    post([job](EngineBridge& b) { Q_EMIT b.jobQueued(job); });
}

void BridgeSink::onRecorded(const RecordedResult& outcome) {
    post([outcome](EngineBridge& b) {
        Q_EMIT b.resultRecorded(qint64(outcome.job), qint64(outcome.resultId), QString::fromStdString(outcome.error));
    });
}

void BridgeSink::onStarted(const JobInfo& job) {
    post([job](EngineBridge& b) { Q_EMIT b.jobStarted(job); });
}

void BridgeSink::onProgress(const JobInfo& job, const Progress& progress) {
    post([job, progress](EngineBridge& b) { Q_EMIT b.jobProgress(job, progress); });
}

// Chunks go to each job's own handle, not to the app-wide feed.
void BridgeSink::onChunk(const JobInfo&, const ChunkPtr&) {}

void BridgeSink::onFinished(const JobInfo& job, JobState state, const Provenance& provenance) {
    post([job, state, provenance](EngineBridge& b) { Q_EMIT b.jobFinished(job, state, provenance); });
}

void BridgeSink::onError(const JobInfo& job, ErrorKind kind, const std::string& message) {
    post([job, kind, text = QString::fromStdString(message)](EngineBridge& b) {
        Q_EMIT b.jobFailed(job, kind, text);
    });
}

}  // namespace latent
