#pragma once
// Immutable loaded weights. Run state (latents, caches, RNG) lives in run(),
// so one loaded model can serve several jobs.
#include <cstddef>
#include <string>

#include "latent/JobContext.h"

namespace latent {

class LoadedModel {
public:
    virtual ~LoadedModel() = default;
    virtual std::size_t memoryBytes() const = 0;
    virtual std::string dtype() const { return "float32"; }
    // Runs one job on the worker thread (inside c10::InferenceMode). Streams
    // chunks through ctx; throws Error for failures with a readable message.
    virtual void run(JobContext& ctx) = 0;
};

}  // namespace latent
