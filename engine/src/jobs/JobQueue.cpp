#include "jobs/JobQueue.h"

#include "jobs/JobRecord.h"

#include <algorithm>

namespace latent {

// Rank and sequence change only in move(), which takes every job out of the
// set first, so the order stays a strict weak one while jobs are in it.
bool JobQueue::Order::operator()(const std::shared_ptr<JobRecord>& a,
                                 const std::shared_ptr<JobRecord>& b) const {
    if (a->rank != b->rank) return a->rank > b->rank;
    return a->sequence < b->sequence;
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

bool JobQueue::move(JobId id, JobId before) {
    std::lock_guard lock(m_mutex);
    std::vector<std::shared_ptr<JobRecord>> order(m_jobs.begin(), m_jobs.end());
    auto moving = std::find_if(order.begin(), order.end(), [&](const auto& j) { return j->info.id == id; });
    if (moving == order.end() || id == before) return false;
    auto job = *moving;
    order.erase(moving);
    auto target = order.end();
    if (before != 0) {
        target = std::find_if(order.begin(), order.end(), [&](const auto& j) { return j->info.id == before; });
        if (target == order.end()) return false;
    }
    // The order is by rank, then sequence: the moved job takes the rank of the
    // job it lands before (of the last, at the end), which keeps ranks
    // non-increasing along the new order, and sequences are renumbered.
    if (target != order.end()) job->rank = (*target)->rank;
    else if (!order.empty()) job->rank = order.back()->rank;
    order.insert(target, job);
    m_jobs.clear();
    std::int64_t sequence = 0;
    for (auto& j : order) j->sequence = ++sequence;
    m_jobs.insert(order.begin(), order.end());
    return true;
}

std::vector<std::shared_ptr<JobRecord>> JobQueue::queued() const {
    std::lock_guard lock(m_mutex);
    return {m_jobs.begin(), m_jobs.end()};
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
