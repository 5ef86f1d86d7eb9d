#include "jobs/JobQueue.h"

#include "jobs/JobRecord.h"

namespace latent {

// Priority and id never change while a job is queued, so the order is stable.
bool JobQueue::Order::operator()(const std::shared_ptr<JobRecord>& a,
                                 const std::shared_ptr<JobRecord>& b) const {
    if (a->request.priority != b->request.priority) return a->request.priority > b->request.priority;
    return a->info.id < b->info.id;
}

void JobQueue::push(std::shared_ptr<JobRecord> job) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.insert(std::move(job));
    }
    m_cv.notify_all();  // workers of other devices re-check and sleep again
}

std::shared_ptr<JobRecord> JobQueue::pop(const std::string& device) {
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_closed) return nullptr;
        if (!m_paused) {
            for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it) {
                if ((*it)->info.device != device) continue;
                auto job = *it;
                m_jobs.erase(it);
                return job;
            }
        }
        m_cv.wait(lock);
    }
}

bool JobQueue::remove(JobId id) {
    std::lock_guard lock(m_mutex);
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it) {
        if ((*it)->info.id == id) {
            m_jobs.erase(it);
            return true;
        }
    }
    return false;
}

std::vector<std::shared_ptr<JobRecord>> JobQueue::takeLane(const std::string& lane) {
    std::vector<std::shared_ptr<JobRecord>> out;
    std::lock_guard lock(m_mutex);
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if ((*it)->info.lane == lane) {
            out.push_back(*it);
            it = m_jobs.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

std::vector<std::shared_ptr<JobRecord>> JobQueue::close() {
    std::vector<std::shared_ptr<JobRecord>> out;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        out.assign(m_jobs.begin(), m_jobs.end());
        m_jobs.clear();
    }
    m_cv.notify_all();
    return out;
}

void JobQueue::setPaused(bool paused) {
    {
        std::lock_guard lock(m_mutex);
        m_paused = paused;
    }
    m_cv.notify_all();
}

bool JobQueue::paused() const {
    std::lock_guard lock(m_mutex);
    return m_paused;
}

std::size_t JobQueue::size() const {
    std::lock_guard lock(m_mutex);
    return m_jobs.size();
}

}  // namespace latent
