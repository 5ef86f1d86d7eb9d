#pragma once
// Sound from the network for given conditions: one place for inference and
// the model card's evaluation, so both measure the same thing.
#include <optional>

#include <ATen/core/Generator.h>

#include "CodePrior.h"
#include "DdspNet.h"

namespace latent::ddsp {

struct Conditions {
    at::Tensor classes;   // int64 [B]
    at::Tensor pitch;     // int64 [B], MIDI (-1 for unpitched)
    at::Tensor velocity;  // int64 [B], 1..127
};

struct Generated {
    at::Tensor audio;   // [B, clipFrames]
    at::Tensor slider;  // [B, sliderDim]: global latent (vae) then class embedding
    at::Tensor codes;   // vq: int64 [B, codes]
};

// `slider` given ([B, sliderDim]): decoded as is (its class embedding may be a
// blend); otherwise the latent is drawn from `gen` (vae: N(0, temperature²);
// vq: the prior at `temperature`, top-k `topK`) and the class embedding is the
// class's own. vq: `codes` given ([B, codes]) stand for the prior's draw,
// and `gen` must then be in the state that draw would have left it in.
Generated generateSound(DdspNet& net, CodePrior* prior, const Conditions& c, const std::optional<at::Tensor>& slider,
                        double temperature, int topK, at::Generator& gen,
                        const std::optional<at::Tensor>& codes = std::nullopt);

// The pitched flag per example from its class.
at::Tensor pitchedFlags(const DdspConfig& config, const at::Tensor& classes);

}  // namespace latent::ddsp
