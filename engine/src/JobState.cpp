#include "latent/JobState.h"

namespace latent {

const char* jobStateName(JobState state) {
    switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Finished: return "finished";
    case JobState::Cancelled: return "cancelled";
    case JobState::Failed: return "failed";
    case JobState::Invalid: break;
    }
    return "invalid";
}

}  // namespace latent
