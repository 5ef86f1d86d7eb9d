#pragma once
// A JobContext for calling a family's classes directly (no engine): it gives
// params and the stop flag, and drops what they emit, report and log. Shared
// by the plugin tests and the benchmarks that write packages.
#include <cstdint>
#include <string>

#include "latent/JobContext.h"

namespace latent::test {

class FakeJobContext final : public JobContext {
public:
    JobId id() const override { return 1; }
    const std::string& task() const override { return m_task; }
    const ParamMap& params() const override { return m_params; }
    const JobInputs& inputs() const override { return m_inputs; }
    std::uint64_t seed() const override { return 1; }
    const std::string& device() const override { return m_device; }
    bool stopRequested() const override { return stop; }
    bool stale() const override { return false; }
    void emit(Chunk) override {}
    void progress(std::int64_t, std::int64_t, const std::string&) override {}
    void log(LogLevel, const std::string&) override {}

    ParamMap m_params;
    bool stop = false;

private:
    std::string m_task = "image.sample", m_device = "cpu";
    JobInputs m_inputs;
};

}  // namespace latent::test
