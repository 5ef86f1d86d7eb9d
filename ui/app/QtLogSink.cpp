#include "app/QtLogSink.h"

#include <QMetaObject>

#include <chrono>

#include "models/LogModel.h"

namespace latent {

QtLogSink::QtLogSink(LogModel* model) : m_model(model) {}

void QtLogSink::detach() {
    std::lock_guard lock(mutex_);
    m_model = nullptr;
    m_pending.clear();
}

void QtLogSink::sink_it_(const spdlog::details::log_msg& msg) {
    // base_sink holds mutex_ here.
    if (!m_model) return;
    LogEntry e;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    e.time = QDateTime::fromMSecsSinceEpoch(qint64(ms));
    e.level = int(msg.level);
    e.source = QString::fromUtf8(msg.logger_name.data(), qsizetype(msg.logger_name.size()));
    e.message = QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size()));
    if (m_pending.size() >= kMaxPending) m_pending.erase(m_pending.begin());
    m_pending.push_back(std::move(e));
    if (m_scheduled) return;
    m_scheduled = true;
    // The model is the context object: if it is gone when the call comes up,
    // Qt drops the call. postEvent only queues, it never waits.
    QMetaObject::invokeMethod(
        m_model, [self = shared_from_this()]() { self->deliver(); }, Qt::QueuedConnection);
}

void QtLogSink::deliver() {
    std::vector<LogEntry> batch;
    LogModel* model = nullptr;
    {
        std::lock_guard lock(mutex_);
        batch.swap(m_pending);
        m_scheduled = false;
        model = m_model;
    }
    // Outside the lock: appending may trigger code that logs again.
    if (model) model->append(batch);
}

}  // namespace latent
