#pragma once
// What a running job sees: its inputs, a cooperative stop flag and the way to
// stream results. Used by plugin models and by plain function jobs alike.
#include <cstdint>
#include <string>

#include "latent/Chunk.h"
#include "latent/JobInputs.h"
#include "latent/JobState.h"
#include "latent/ParamValue.h"

namespace latent {

class JobContext {
public:
    virtual ~JobContext() = default;

    virtual JobId id() const = 0;
    virtual const std::string& task() const = 0;
    virtual const ParamMap& params() const = 0;  // validated, defaults filled in
    virtual const JobInputs& inputs() const = 0;
    virtual std::uint64_t seed() const = 0;
    virtual const std::string& device() const = 0;  // "cpu", "cuda:0"

    // Cancelled or shutting down: check at every token, step, frame or batch.
    virtual bool stopRequested() const = 0;
    // A newer job on the same lane exists: results still reach the sink, but
    // long iterative work may end early.
    virtual bool stale() const = 0;

    virtual void emit(Chunk chunk) = 0;
    virtual void progress(std::int64_t done, std::int64_t total, const std::string& message = {}) = 0;
    virtual void log(LogLevel level, const std::string& message) = 0;

    // Throws Error(Cancelled) when stopRequested(): the engine turns it into
    // the Cancelled state, not a failure.
    void throwIfStopped() const;

    // Typed parameter access; throws Error(BadArgument) when absent or mistyped.
    std::int64_t intParam(const std::string& name) const;
    double floatParam(const std::string& name) const;
    bool boolParam(const std::string& name) const;
    const std::string& stringParam(const std::string& name) const;
};

}  // namespace latent
