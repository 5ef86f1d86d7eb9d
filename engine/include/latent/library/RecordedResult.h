#pragma once
#include <cstdint>
#include <string>

#include "latent/JobState.h"

namespace latent {

// What became of a recorded job's output: the new result's id, or why it
// was not kept (recording off, disk full…). A job with nothing to keep
// (failed, or stopped before any output) has no outcome at all.
struct RecordedResult {
    JobId job = 0;
    std::int64_t resultId = 0;  // 0 when not kept
    std::string error;          // user-readable; empty when kept
    bool kept() const { return resultId > 0; }
};

}  // namespace latent
