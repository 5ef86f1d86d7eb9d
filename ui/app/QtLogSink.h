#pragma once
// An spdlog sink feeding the in-app LogModel. Any thread may log: lines are
// buffered under the sink's own mutex and handed to the GUI thread in batches
// by one queued call at a time, so logging never waits for the GUI and a
// burst of lines costs one event, not thousands.
#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>
#include <vector>

#include "models/LogEntry.h"

namespace latent {

class LogModel;

class QtLogSink final : public spdlog::sinks::base_sink<std::mutex>,
                        public std::enable_shared_from_this<QtLogSink> {
public:
    // Lines waiting for the GUI beyond this many are dropped (oldest first).
    static constexpr std::size_t kMaxPending = 10000;

    explicit QtLogSink(LogModel* model);
    // Stops delivery; call before the model is destroyed.
    void detach();

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    void deliver();  // GUI thread

    LogModel* m_model;  // guarded by mutex_; null once detached
    std::vector<LogEntry> m_pending;
    bool m_scheduled = false;
};

}  // namespace latent
