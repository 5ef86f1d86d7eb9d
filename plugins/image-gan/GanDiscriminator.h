#pragma once
// The discriminator of the image-gan family (training only: packages hold the
// generator alone). Mirrors the generator's widths: 1x1 fromrgb at S, 3x3
// convs with 2x average-pool down to S/4, a minibatch-stddev channel, two
// EqualLinear layers; class-conditional models add projection conditioning.
//
// EqualConv shares this file pair with the discriminator (its only user) to
// keep the number of torch-including translation units (build time) small.

#include <cstdint>

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

#include "GanGenerator.h"

namespace latent::gan {

// 2-D convolution with equalised learning rate, optionally followed by leaky_relu(0.2)·√2.
class EqualConvImpl : public torch::nn::Module {
public:
    EqualConvImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, bool activate = true);
    at::Tensor forward(const at::Tensor& x);

private:
    at::Tensor m_weight;  // [out, in, k, k]
    at::Tensor m_bias;    // [out]
    double m_gain;
    std::int64_t m_kernel;
    bool m_activate;
};
TORCH_MODULE(EqualConv);

class GanDiscriminatorImpl : public torch::nn::Module {
public:
    explicit GanDiscriminatorImpl(const GanConfig& config);
    // images [B, C, S, S] in [-1, 1], labels int64 [B] (undefined when
    // unconditional) -> logits [B].
    at::Tensor forward(const at::Tensor& images, const at::Tensor& labels);

private:
    GanConfig m_config;
    EqualConv m_fromRgb{nullptr}, m_d2conv{nullptr}, m_d1conv0{nullptr}, m_d1conv1{nullptr}, m_d0conv{nullptr};
    EqualLinear m_fc{nullptr}, m_out{nullptr};
    torch::nn::Embedding m_embed{nullptr};
};
TORCH_MODULE(GanDiscriminator);

}  // namespace latent::gan
