#pragma once
// The audio-ddsp network: an encoder from log-mel frames to the bottleneck
// (a global Gaussian latent, or per-segment codes through a VectorQuantizer),
// and a decoder from bottleneck + class embedding + pitch + velocity to the
// synthesiser's per-frame controls.
#include <torch/torch.h>

#include "DdspConfig.h"
#include "HarmonicNoiseSynth.h"
#include "VectorQuantizer.h"

namespace latent::ddsp {

struct Encoded {
    at::Tensor mean, logvar;  // vae: [B, latentDim]
    QuantizeResult vq;        // vq: codes [B, T]
};

class DdspNetImpl : public torch::nn::Module {
public:
    explicit DdspNetImpl(const DdspConfig& config);

    const DdspConfig& config() const { return m_config; }
    Encoded encode(const at::Tensor& logmel);  // [B, melBands, frames]
    // latent: vae [B, latentDim] / vq [B, codeDim, codes]; classEmbedding
    // [B, E]; pitch: MIDI float [B] (ignored for unpitched); velocity [B] in 0..1;
    // pitched: bool [B].
    SynthControls controls(const at::Tensor& latent, const at::Tensor& classEmbedding, const at::Tensor& pitch,
                           const at::Tensor& velocity, const at::Tensor& pitched);
    at::Tensor embedClasses(const at::Tensor& classes) { return classEmbed(classes); }  // int64 [B] -> [B, E]

    torch::nn::Embedding classEmbed{nullptr};
    torch::nn::Sequential encoder{nullptr};
    torch::nn::Linear toLatent{nullptr};
    torch::nn::Conv1d toCode{nullptr};
    VectorQuantizer quantizer{nullptr};
    torch::nn::Sequential decoder{nullptr};
    at::Tensor timeFeatures;  // [1, 9, frames]

private:
    DdspConfig m_config;
};
TORCH_MODULE(DdspNet);

}  // namespace latent::ddsp
