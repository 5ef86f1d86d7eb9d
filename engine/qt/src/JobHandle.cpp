#include "latent/qt/JobHandle.h"

#include "HandleSink.h"
#include "latent/Engine.h"

namespace latent {

JobHandle::JobHandle(Engine& engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_sink(std::make_shared<HandleSink>(this)) {}

JobHandle::~JobHandle() { m_sink->detach(); }

void JobHandleDeleter::operator()(JobHandle* handle) const {
    if (!handle) return;
    // Silent from now on; deleted once control is back in the event loop,
    // which makes releasing a handle from one of its own slots safe.
    handle->m_sink->detach();
    QObject::disconnect(handle, nullptr, nullptr, nullptr);
    handle->deleteLater();
}

bool JobHandle::cancel() { return m_id != 0 && m_engine.cancel(m_id); }

void JobHandle::deliverStarted(const JobInfo& job) {
    if (isTerminal(m_state)) return;
    m_state = JobState::Running;
    m_info = job;
    Q_EMIT started(job);
}

void JobHandle::deliverProgress(const JobInfo& job, const Progress& p) {
    if (isTerminal(m_state)) return;
    m_state = JobState::Running;
    Q_EMIT progress(job, p);
}

void JobHandle::deliverChunk(const JobInfo& job, const ChunkPtr& c) { Q_EMIT chunk(job, c); }

void JobHandle::deliverFinished(const JobInfo& job, JobState state, const Provenance& provenance) {
    m_state = state == JobState::Cancelled ? JobState::Cancelled : JobState::Finished;
    m_info = job;
    Q_EMIT finished(job, m_state, provenance);
}

void JobHandle::deliverFailed(const JobInfo& job, ErrorKind kind, const QString& message) {
    m_state = kind == ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed;
    m_info = job;
    Q_EMIT failed(job, kind, message);
}

}  // namespace latent
