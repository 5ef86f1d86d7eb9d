#pragma once
#include <cstdint>

namespace latent {

using JobId = std::uint64_t;  // 0 is never a valid job

// Persisted in history: start at 1, never renumber.
enum class JobState {
    Invalid = 0,
    Queued = 1,
    Running = 2,
    Finished = 3,
    Cancelled = 4,
    Failed = 5,
};

const char* jobStateName(JobState state);
inline bool isTerminal(JobState s) {
    return s == JobState::Finished || s == JobState::Cancelled || s == JobState::Failed;
}

}  // namespace latent
