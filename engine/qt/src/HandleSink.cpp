#include "HandleSink.h"

#include <QMetaObject>

#include "latent/qt/JobHandle.h"

namespace latent {
namespace {

bool isPreview(const Chunk& chunk) {
    if (const auto* f = std::get_if<ImageFrame>(&chunk)) return !f->final;
    return std::holds_alternative<VideoFrame>(chunk);
}

}  // namespace

void HandleSink::detach() {
    std::lock_guard lock(m_mutex);
    m_handle = nullptr;
}

std::size_t HandleSink::posted() const {
    std::lock_guard lock(m_mutex);
    return m_posted;
}

template <class F>
void HandleSink::postLocked(F&& deliver) {
    // The handle is the context object: Qt discards deliveries still queued
    // when it is destroyed, and detach() stops new ones.
    if (!m_handle) return;
    JobHandle* handle = m_handle;
    ++m_posted;
    QMetaObject::invokeMethod(
        handle, [handle, deliver = std::forward<F>(deliver)]() { deliver(*handle); }, Qt::QueuedConnection);
}

template <class F>
void HandleSink::post(F&& deliver) {
    std::lock_guard lock(m_mutex);
    m_open.reset();  // a later preview must not jump ahead of this event
    postLocked(std::forward<F>(deliver));
}

void HandleSink::onStarted(const JobInfo& job) {
    post([job](JobHandle& h) { h.deliverStarted(job); });
}

void HandleSink::onProgress(const JobInfo& job, const Progress& progress) {
    post([job, progress](JobHandle& h) { h.deliverProgress(job, progress); });
}

void HandleSink::onChunk(const JobInfo& job, const ChunkPtr& chunk) {
    if (!chunk) return;
    if (!isPreview(*chunk)) {
        post([job, chunk](JobHandle& h) { h.deliverChunk(job, chunk); });
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_open) {  // a preview delivery is still waiting: it will show this one instead
        m_open->job = job;
        m_open->chunk = chunk;
        return;
    }
    auto slot = std::make_shared<PreviewSlot>(PreviewSlot{job, chunk});
    m_open = slot;
    postLocked([self = shared_from_this(), slot](JobHandle& h) {
        JobInfo job;
        ChunkPtr latest;
        {
            std::lock_guard lock(self->m_mutex);
            if (self->m_open == slot) self->m_open.reset();
            job = slot->job;
            latest = slot->chunk;
        }
        h.deliverChunk(job, latest);
    });
}

void HandleSink::onFinished(const JobInfo& job, JobState state, const Provenance& provenance) {
    post([job, state, provenance](JobHandle& h) { h.deliverFinished(job, state, provenance); });
}

void HandleSink::onError(const JobInfo& job, ErrorKind kind, const std::string& message) {
    post([job, kind, text = QString::fromStdString(message)](JobHandle& h) { h.deliverFailed(job, kind, text); });
}

}  // namespace latent
