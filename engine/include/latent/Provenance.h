#pragma once
// Everything needed to reproduce a result (DESIGN §5).
#include <cstdint>
#include <string>

#include "latent/ParamValue.h"

namespace latent {

struct Provenance {
    std::string appVersion;
    std::string pluginId;
    std::string pluginVersion;
    std::string modelId;
    std::string modelSha256;  // of the primary weight file
    std::string task;
    std::string prompt;       // empty for unconditional tasks
    ParamMap params;          // every value, defaults included
    std::uint64_t seed = 0;
    std::string device;
    std::string dtype;
    std::string torchVersion;
};

// JSON text of a provenance record (stable key order).
std::string provenanceToJson(const Provenance& p);
Provenance provenanceFromJson(const std::string& json);

}  // namespace latent
