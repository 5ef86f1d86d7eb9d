#pragma once
// Re-emits the engine's job events, which arrive on worker threads, as Qt
// signals emitted on the bridge's own thread (the GUI thread in the app).
// The worker only posts an event and returns: it never waits for the GUI.
#include <QObject>
#include <QString>

#include <memory>

#include "latent/JobRequest.h"
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

    // Plain pass-throughs, so GUI code talks to one object.
    JobId submit(JobRequest request);
    bool cancel(JobId id);
    void cancelAll();

Q_SIGNALS:
    void jobQueued(const latent::JobInfo& job);
    void jobStarted(const latent::JobInfo& job);
    void jobProgress(const latent::JobInfo& job, const latent::Progress& progress);
    void jobChunk(const latent::JobInfo& job, const latent::ChunkPtr& chunk);
    // Terminal: Finished or Cancelled.
    void jobFinished(const latent::JobInfo& job, latent::JobState state,
                     const latent::Provenance& provenance);
    // Terminal: the job failed; `message` is user-readable.
    void jobFailed(const latent::JobInfo& job, latent::ErrorKind kind, const QString& message);

private:
    Engine& m_engine;
    std::shared_ptr<BridgeSink> m_sink;
};

}  // namespace latent
