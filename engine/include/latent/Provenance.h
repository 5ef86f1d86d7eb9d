#pragma once
// Everything needed to reproduce a result (DESIGN §5).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

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
    // Latent-space images: the latent the image was decoded from and, when
    // it came from slider edits, the latent they started at and each
    // slider's value (by direction name), so opening the file restores them.
    std::vector<float> latent;
    std::vector<float> latentBase;
    std::map<std::string, double> sliders;
    // Audio latent models: the per-dimension edit applied to every latent
    // frame (JobInputs::latentOffset/latentScale) and, for a transfer, the
    // input sound it started from (file name and SHA-256 of its bytes).
    std::vector<float> latentOffset;
    std::vector<float> latentScale;
    std::string inputName;
    std::string inputSha256;
};

// JSON text of a provenance record (stable key order).
std::string provenanceToJson(const Provenance& p);
Provenance provenanceFromJson(const std::string& json);

}  // namespace latent
