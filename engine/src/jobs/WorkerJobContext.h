#pragma once
#include <atomic>
#include <chrono>
#include <memory>

#include "latent/JobContext.h"

namespace latent {

class JobRecord;

// The JobContext a job body sees on its worker thread.
class WorkerJobContext final : public JobContext {
public:
    WorkerJobContext(std::shared_ptr<JobRecord> record, const std::atomic<bool>& engineStopping);

    void setParams(ParamMap params) { m_params = std::move(params); }

    JobId id() const override;
    const std::string& task() const override { return m_task; }
    const ParamMap& params() const override { return m_params; }
    const JobInputs& inputs() const override;
    std::uint64_t seed() const override;
    const std::string& device() const override;
    bool stopRequested() const override;
    bool stale() const override;
    void emit(Chunk chunk) override;
    void progress(std::int64_t done, std::int64_t total, const std::string& message) override;
    void log(LogLevel level, const std::string& message) override;

    void setTask(std::string task) { m_task = std::move(task); }

private:
    std::shared_ptr<JobRecord> m_record;
    const std::atomic<bool>& m_engineStopping;
    ParamMap m_params;
    std::string m_task;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    // The progress phase the ETA is measured over (see progress()).
    std::chrono::steady_clock::time_point m_phaseStart = m_start;
    std::int64_t m_phaseTotal = -1;
    std::int64_t m_phaseBase = 0;
    std::int64_t m_lastDone = 0;
    bool m_firstPhase = true;
};

}  // namespace latent
