#pragma once
// The architecture of one audio-ddsp package (model.json "config"): a
// harmonic-plus-noise synthesiser driven frame by frame by a small
// convolutional decoder, conditioned on class, pitch and velocity, with a
// bottleneck that is either a continuous global latent (VAE: sliders) or a
// sequence of discrete codes (VQ-VAE, with a transformer prior over them).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace latent::ddsp {

struct DdspConfig {
    int sampleRateHz = 16000;
    int clipFrames = 16000;   // samples per one-shot
    int hop = 160;            // samples per control frame
    int harmonics = 40;
    int noiseBands = 48;
    int hidden = 160;
    int melBands = 64;
    int classEmbedding = 16;
    std::vector<std::string> classNames;
    std::vector<bool> pitched;  // per class: notes at a given pitch, or drums
    std::string bottleneck = "vae";  // "vae" or "vq"
    int latentDim = 8;        // vae: the global latent
    int codebookSize = 128;   // vq
    int codeDim = 16;
    int codeStride = 4;       // control frames per code
    int priorWidth = 128;
    int priorLayers = 2;
    int priorHeads = 4;

    int frames() const { return clipFrames / hop; }
    int codes() const { return frames() / codeStride; }
    int numClasses() const { return int(classNames.size()); }
    bool isVq() const { return bottleneck == "vq"; }
    // What the sliders move and the decode task takes: the global latent
    // followed by the class embedding (so sliders can blend classes).
    int sliderDim() const { return (isVq() ? 0 : latentDim) + classEmbedding; }

    nlohmann::json toJson() const;
    static DdspConfig fromJson(const nlohmann::json& j, const std::string& where);
};

}  // namespace latent::ddsp
