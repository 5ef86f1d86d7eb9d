#include "latent/qt/EngineBridge.h"

#include "BridgeSink.h"
#include "HandleSink.h"
#include "latent/Engine.h"
#include "latent/Error.h"

namespace latent {

void registerEngineMetaTypes() {
    // Named registration lets string-based connections and QVariant use them;
    // qRegisterMetaType is itself thread-safe and idempotent.
    qRegisterMetaType<latent::JobInfo>("latent::JobInfo");
    qRegisterMetaType<latent::Progress>("latent::Progress");
    qRegisterMetaType<latent::ChunkPtr>("latent::ChunkPtr");
    qRegisterMetaType<latent::Provenance>("latent::Provenance");
    qRegisterMetaType<latent::JobState>("latent::JobState");
    qRegisterMetaType<latent::ErrorKind>("latent::ErrorKind");
}

EngineBridge::EngineBridge(Engine& engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_sink(std::make_shared<BridgeSink>(this)) {
    registerEngineMetaTypes();
    m_engine.addSink(m_sink);
    // The sink, not the bridge: it outlives the bridge and drops what comes late.
    m_engine.addResultListener([sink = m_sink](const RecordedResult& outcome) { sink->onRecorded(outcome); });
}

EngineBridge::~EngineBridge() {
    // The engine keeps its shared_ptr to the sink; from here on the sink drops
    // every event instead of touching this object.
    m_sink->detach();
}

JobHandlePtr EngineBridge::submit(JobRequest request) {
    if (request.sink) throw Error(ErrorKind::BadArgument, "a job submitted through the bridge reports to its handle");
    JobHandlePtr handle(new JobHandle(m_engine, nullptr));
    request.sink = handle->m_sink;
    handle->m_id = m_engine.submit(std::move(request));
    return handle;
}

bool EngineBridge::cancel(JobId id) { return m_engine.cancel(id); }

void EngineBridge::cancelAll() { m_engine.cancelAll(); }

bool EngineBridge::moveQueued(JobId id, JobId before) {
    if (!m_engine.moveQueued(id, before)) return false;
    Q_EMIT queueChanged();
    return true;
}

void EngineBridge::setPaused(bool paused) {
    if (paused == m_engine.paused()) return;
    if (paused) m_engine.pause();
    else m_engine.resume();
    Q_EMIT queueChanged();
}

bool EngineBridge::isPaused() const { return m_engine.paused(); }

}  // namespace latent
