#pragma once
// One submitted job, seen from the GUI thread: its own queued signals carry
// only this job's events, each exactly once, so a panel never filters other
// jobs by id. The submitter owns the handle (EngineBridge::submit returns a
// JobHandlePtr); releasing it silences the job's later events at once and
// cancels nothing. It may be released anywhere, even in a slot of its own
// signal: the object itself is deleted later, from the event loop.
//
// Chunks that only preview (ImageFrame with final = false, VideoFrame) are
// coalesced while the receiver is behind: a slow GUI gets the latest preview
// instead of an unbounded queue of stale ones. Text deltas, audio blocks,
// final images, metrics and log lines are always delivered, in order.
#include <QObject>
#include <QString>

#include <memory>

#include "latent/JobInfo.h"
#include "latent/qt/MetaTypes.h"

namespace latent {

class Engine;
class HandleSink;

class JobHandle;
struct JobHandleDeleter {
    void operator()(JobHandle* handle) const;
};
using JobHandlePtr = std::unique_ptr<JobHandle, JobHandleDeleter>;

class JobHandle : public QObject {
    Q_OBJECT
public:
    ~JobHandle() override;

    JobId id() const { return m_id; }
    // The last state this handle has seen (Queued until the job starts).
    JobState state() const { return m_state; }
    bool isActive() const { return m_id != 0 && !isTerminal(m_state); }
    const JobInfo& info() const { return m_info; }

    // Returns at once; the job ends Cancelled (finished(…, Cancelled)).
    bool cancel();

Q_SIGNALS:
    void started(const latent::JobInfo& job);
    void progress(const latent::JobInfo& job, const latent::Progress& progress);
    void chunk(const latent::JobInfo& job, const latent::ChunkPtr& chunk);
    // Terminal: Finished or Cancelled.
    void finished(const latent::JobInfo& job, latent::JobState state, const latent::Provenance& provenance);
    // Terminal: the job failed; `message` is user-readable.
    void failed(const latent::JobInfo& job, latent::ErrorKind kind, const QString& message);

private:
    friend class EngineBridge;
    friend class HandleSink;
    friend struct JobHandleDeleter;
    JobHandle(Engine& engine, QObject* parent);

    // Called on the handle's thread by HandleSink's queued deliveries.
    void deliverStarted(const JobInfo& job);
    void deliverProgress(const JobInfo& job, const Progress& progress);
    void deliverChunk(const JobInfo& job, const ChunkPtr& chunk);
    void deliverFinished(const JobInfo& job, JobState state, const Provenance& provenance);
    void deliverFailed(const JobInfo& job, ErrorKind kind, const QString& message);

    Engine& m_engine;
    std::shared_ptr<HandleSink> m_sink;
    JobId m_id = 0;
    JobState m_state = JobState::Queued;
    JobInfo m_info;
};

}  // namespace latent
