#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "latent/JobState.h"

namespace latent {

// A snapshot of a job's public facts, as sinks and observers see it.
struct JobInfo {
    JobId id = 0;
    std::string label;
    std::string modelId;
    std::string task;
    std::string lane;
    std::string device;
    int priority = 0;
    std::uint64_t seed = 0;
    JobState state = JobState::Queued;
    bool stale = false;
    bool record = false;  // its output goes to the results library
    std::chrono::steady_clock::time_point submittedAt;
};

}  // namespace latent
