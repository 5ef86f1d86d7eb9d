#pragma once
// The prior over a VQ model's codes: a small decoder-only transformer that
// predicts each code from the ones before it and the condition (class, pitch,
// velocity), as DALL·E's prior does over image tokens.
#include <torch/torch.h>

#include "DdspConfig.h"

namespace latent::ddsp {

class CodePriorImpl : public torch::nn::Module {
public:
    explicit CodePriorImpl(const DdspConfig& config);

    // codes int64 [B, T]; classes int64 [B]; pitch int64 [B] (MIDI, -1
    // unpitched); velocity int64 [B] (1..127). Returns logits [B, T, K]:
    // position t predicts code t from codes before it.
    at::Tensor forward(const at::Tensor& codes, const at::Tensor& classes, const at::Tensor& pitch,
                       const at::Tensor& velocity);
    // Samples codes [B, T] with temperature and top-k (0: all), drawing from `gen`.
    at::Tensor sample(const at::Tensor& classes, const at::Tensor& pitch, const at::Tensor& velocity,
                      double temperature, int topK, at::Generator& gen);

private:
    at::Tensor condition(const at::Tensor& classes, const at::Tensor& pitch, const at::Tensor& velocity);

    DdspConfig m_config;
    torch::nn::Embedding m_code{nullptr}, m_position{nullptr}, m_class{nullptr}, m_pitch{nullptr}, m_velocity{nullptr};
    torch::nn::TransformerEncoder m_body{nullptr};
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(CodePrior);

}  // namespace latent::ddsp
