#pragma once
// The train task's parameters, read once into plain values so the training
// pieces need not go back to the job for them.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "latent/JobContext.h"

namespace latent::gpt::detail {

struct TrainingSettings {
    std::vector<std::string> data;
    std::vector<std::string> extensions;
    std::filesystem::path out;
    std::string id, name, dataName, dataLicense;
    std::int64_t steps = 0, batch = 0, context = 0, vocab = 0, width = 0, layers = 0, heads = 0;
    std::int64_t evalEvery = 0, checkpointEvery = 0, holdOutEvery = 0, maxBytes = 0, tokenizerBytes = 0;
    double lr = 0;
    bool resume = true;
    std::uint64_t seed = 0;
    std::string device;
};

// Throws Error(BadArgument) for missing data or output folder, or a width
// the heads do not divide.
TrainingSettings readTrainingSettings(JobContext& ctx);

}  // namespace latent::gpt::detail
