#pragma once
// A training run's resumable state in "<out>.training/" beside the package:
// weights, AdamW moments, step, wall time, the batch sampler's RNG and the
// validation history, saved as one atomic set (CheckpointFolder). The learned
// tokenizer is kept in the run's folder.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <torch/optim/adamw.h>

#include "latent/CheckpointFolder.h"
#include "latent/JobContext.h"

namespace latent::gpt::detail {

class TrainingCheckpoint {
public:
    // Creates the run's folder (or checks an existing one is ours). `resume`
    // false, or no complete checkpoint, starts afresh. `started`: when this run began, for wall time.
    TrainingCheckpoint(const std::filesystem::path& out, bool resume, std::chrono::steady_clock::time_point started);

    const std::filesystem::path& folder() const { return m_folder; }
    bool resuming() const { return m_resuming; }

    // Loads the saved weights into `params` and the sampler's state into
    // `rng`; returns the step reached. Throws Error(BadArgument) when the
    // checkpoint was made with another config or data, Error(Format) when a
    // tensor does not fit.
    std::int64_t restore(JobContext& ctx, std::map<std::string, at::Tensor>& params, const nlohmann::json& configJson,
                         const std::vector<std::string>& data, std::mt19937_64& rng);
    void restoreOptimizer(torch::optim::AdamW& optimizer) const;

    void save(const std::map<std::string, at::Tensor>& params, const torch::optim::AdamW& optimizer, std::int64_t step,
              const nlohmann::json& configJson, const std::vector<std::string>& data, const std::mt19937_64& rng);

    // Seconds of training over this run and the runs it resumes.
    double wallSeconds() const;

    // Validation results, kept across resumes for the package's provenance.
    void addHistory(const nlohmann::json& entry);
    nlohmann::json history() const;

private:
    std::filesystem::path m_folder;  // the run's folder: tokenizer and checkpoint sets
    CheckpointFolder m_sets;
    std::filesystem::path m_set;     // the set being resumed
    bool m_resuming = false;
    std::chrono::steady_clock::time_point m_started;
    double m_wallBefore = 0;
    nlohmann::json m_state = nlohmann::json::object();
};

}  // namespace latent::gpt::detail
