#pragma once
// The GUI's door to the engine. submit() returns a JobHandle carrying that
// job's own events (chunks included), which the submitter owns. The bridge's
// signals are the app-wide feed for observers of every job (queue, status
// bar): lifecycle events only, no chunks. Events arrive on worker threads and
// are re-emitted as queued signals on the bridge's (the handle's) thread; the
// worker only posts and returns, it never waits for the GUI.
#include <QObject>
#include <QString>

#include <memory>

#include "latent/JobRequest.h"
#include "latent/qt/JobHandle.h"
#include "latent/qt/MetaTypes.h"

namespace latent {

class BridgeSink;
class Engine;

class EngineBridge : public QObject {
    Q_OBJECT
public:
    // Adds an engine-wide sink to `engine`; add the bridge before submitting.
    explicit EngineBridge(Engine& engine, QObject* parent = nullptr);
    // Detaches the sink: events still in flight are dropped, so the engine
    // may outlive the bridge and keep running.
    ~EngineBridge() override;

    Engine& engine() const { return m_engine; }

    // Submits the job with a handle of its own as its sink (a request that
    // already has a sink is Error(BadArgument)). Never null; a rejected job's
    // handle reports failed().
    JobHandlePtr submit(JobRequest request);
    bool cancel(JobId id);
    void cancelAll();
    // The queue: reorder (before 0: to the end) and pause/resume the whole of
    // it; queueChanged() tells every view.
    bool moveQueued(JobId id, JobId before);
    void setPaused(bool paused);
    bool isPaused() const;

Q_SIGNALS:
    void jobQueued(const latent::JobInfo& job);
    void jobStarted(const latent::JobInfo& job);
    void jobProgress(const latent::JobInfo& job, const latent::Progress& progress);
    // Terminal: Finished or Cancelled.
    void jobFinished(const latent::JobInfo& job, latent::JobState state,
                     const latent::Provenance& provenance);
    // Terminal: the job failed; `message` is user-readable.
    void jobFailed(const latent::JobInfo& job, latent::ErrorKind kind, const QString& message);
    // A recorded job's output is in the results library (resultId > 0), or
    // could not be kept (`error` says why).
    void resultRecorded(qint64 jobId, qint64 resultId, const QString& error);
    void queueChanged();

private:
    Engine& m_engine;
    std::shared_ptr<BridgeSink> m_sink;
};

}  // namespace latent
