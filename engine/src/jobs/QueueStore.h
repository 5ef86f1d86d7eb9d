#pragma once
// Queued jobs kept on disk (EngineConfig::queueFile) so they survive a
// restart or a crash: what the user lined up is not lost. Only requests that
// can be rebuilt from text are kept (model, task, parameters, prompt,
// latent, seed); jobs with an input image or sound, on a lane, or with a
// `work` body are not.
#include <filesystem>
#include <vector>

#include "latent/JobRequest.h"

namespace latent {

bool isPersistable(const JobRequest& request);

// Writes atomically; an empty list removes the file.
void saveQueue(const std::filesystem::path& file, const std::vector<JobRequest>& requests, bool paused);

struct SavedQueue {
    std::vector<JobRequest> requests;
    bool paused = false;
};
// Error(Format) naming the file for one that is damaged; an absent file is empty.
SavedQueue loadQueue(const std::filesystem::path& file);

}  // namespace latent
