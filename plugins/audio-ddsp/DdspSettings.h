#pragma once
// The train task's values, read once.
#include <cstdint>
#include <filesystem>
#include <string>

#include "latent/JobContext.h"

namespace latent::ddsp {

struct DdspSettings {
    std::string data;
    std::filesystem::path out;
    std::string id, name, bottleneck;
    std::int64_t steps = 0, priorSteps = 0, batch = 16, limit = 0, classifierSteps = 0, checkpointEvery = 250;
    double lr = 1e-3, klWeight = 0.002;
    int latentDim = 8, hidden = 160;
    bool resume = true;
    std::uint64_t seed = 0;
    std::string device = "cpu";
};

DdspSettings readDdspSettings(JobContext& ctx);

}  // namespace latent::ddsp
