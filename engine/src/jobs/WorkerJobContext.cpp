#include "jobs/WorkerJobContext.h"

#include <spdlog/spdlog.h>

#include "jobs/JobRecord.h"

namespace latent {

WorkerJobContext::WorkerJobContext(std::shared_ptr<JobRecord> record, const std::atomic<bool>& engineStopping)
    : m_record(std::move(record)), m_engineStopping(engineStopping), m_params(m_record->request.params),
      m_task(m_record->info.task) {}

JobId WorkerJobContext::id() const { return m_record->info.id; }
const JobInputs& WorkerJobContext::inputs() const { return m_record->request.inputs; }
std::uint64_t WorkerJobContext::seed() const { return m_record->info.seed; }
const std::string& WorkerJobContext::device() const { return m_record->info.device; }

bool WorkerJobContext::stopRequested() const {
    return m_record->stop.load(std::memory_order_relaxed) || m_engineStopping.load(std::memory_order_relaxed);
}

bool WorkerJobContext::stale() const { return m_record->stale.load(std::memory_order_relaxed); }

void WorkerJobContext::emit(Chunk chunk) {
    m_record->emitChunk(std::make_shared<const Chunk>(std::move(chunk)));
}

void WorkerJobContext::progress(std::int64_t done, std::int64_t total, const std::string& message) {
    Progress p;
    p.done = done;
    p.total = total;
    p.message = message;
    const auto now = std::chrono::steady_clock::now();
    const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
    p.elapsedMs = ms(now - m_start);
    // ETA from the average rate of the current phase: a job that starts
    // counting again (training, then scoring; or a resumed run that starts at
    // step 2000) would otherwise be timed against work it did not count.
    const bool firstReport = m_phaseTotal < 0;
    if (firstReport || total != m_phaseTotal || done < m_lastDone) {
        m_phaseTotal = total;
        m_phaseBase = done;
        m_phaseStart = now;
        m_firstPhase = firstReport;
    }
    m_lastDone = done;
    if (total > 0 && done >= total) p.etaMs = 0;
    else if (done > m_phaseBase && total > done) p.etaMs = ms(now - m_phaseStart) * (total - done) / (done - m_phaseBase);
    else if (m_firstPhase && done > 0 && total > done) p.etaMs = p.elapsedMs * (total - done) / done;  // one report yet
    m_record->emitProgress(p);
}

void WorkerJobContext::log(LogLevel level, const std::string& message) {
    const auto lvl = level == LogLevel::Error     ? spdlog::level::err
                     : level == LogLevel::Warning ? spdlog::level::warn
                     : level == LogLevel::Debug   ? spdlog::level::debug
                                                  : spdlog::level::info;
    spdlog::log(lvl, "[job {}] {}", id(), message);
    m_record->emitChunk(std::make_shared<const Chunk>(LogLine{level, message}));
}

}  // namespace latent
