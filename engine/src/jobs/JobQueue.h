#pragma once
// Queued jobs of every device, ordered by priority (higher first), then by
// submission. Workers block in pop() for their device.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "latent/JobState.h"

namespace latent {

class JobRecord;

class JobQueue {
public:
    void push(std::shared_ptr<JobRecord> job);
    // Blocks until a job for `device` is available (and the queue is not
    // paused) or the queue is closed; null when closed.
    std::shared_ptr<JobRecord> pop(const std::string& device);
    bool remove(JobId id);  // true if it was queued
    // Removes and returns the queued jobs of `lane` (lane replacement).
    std::vector<std::shared_ptr<JobRecord>> takeLane(const std::string& lane);
    // Closes the queue and returns what was still queued.
    std::vector<std::shared_ptr<JobRecord>> close();
    // Moves a queued job to just before `before` (0: to the end), taking its
    // neighbour's rank, so the user's order wins over priorities. False when
    // either is not queued.
    bool move(JobId id, JobId before);
    // The queued jobs in the order they will run.
    std::vector<std::shared_ptr<JobRecord>> queued() const;
    void setPaused(bool paused);
    bool paused() const;
    std::size_t size() const;

private:
    struct Order {
        bool operator()(const std::shared_ptr<JobRecord>& a, const std::shared_ptr<JobRecord>& b) const;
    };
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::set<std::shared_ptr<JobRecord>, Order> m_jobs;
    bool m_closed = false;
    bool m_paused = false;
};

}  // namespace latent
