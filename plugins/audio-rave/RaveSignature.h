#pragma once
// What the nn~ convention says about a TorchScript module: each method it
// exports for streaming carries a `<method>_params` buffer [in_channels,
// in_ratio, out_channels, out_ratio], and the module an `sr` attribute.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/script.h>

namespace latent {

struct RaveMethod {
    int inChannels = 0;
    int inRatio = 0;
    int outChannels = 0;
    int outRatio = 0;
};

struct RaveSignature {
    int sampleRateHz = 0;
    RaveMethod encode;
    RaveMethod decode;
    std::optional<RaveMethod> prior;
    // Cached-convolution exports keep state between calls (RAVE --streaming):
    // consecutive blocks continue one another, and the state is reset per job.
    bool streaming = false;

    int latentDims() const { return encode.outChannels; }
    int hop() const { return encode.outRatio; }  // audio frames per latent frame
    int audioChannels() const { return decode.outChannels; }
    double latentRateHz() const { return hop() > 0 ? double(sampleRateHz) / hop() : 0.0; }

    nlohmann::json toJson() const;
    static RaveSignature fromJson(const nlohmann::json& j, const std::string& where);
};

// Whether a buffer (by its dotted name) holds a cached convolution's state.
bool isStreamingStateBuffer(const std::string& name);

// Reads and checks the convention. Returns nullopt when the module exports
// neither `encode` nor `decode` (not an nn~ export at all); throws
// Error(Format) naming everything missing or inconsistent when it exports one.
std::optional<RaveSignature> readRaveSignature(const torch::jit::Module& module, const std::string& name);

}  // namespace latent
