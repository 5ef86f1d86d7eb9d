#pragma once
// Glow (Kingma & Dhariwal 2018): a multi-scale normalising flow of
// squeeze -> K x (ActNorm, invertible 1x1 conv in LU form, affine coupling)
// -> split with a learned Gaussian prior. Parameter and buffer names equal the
// reference in tests/reference/image_flow.py, and the bundled weights.
//
// The small layer modules share this file pair on purpose (a deliberate
// exception to one-class-per-file): each torch-including .cpp costs ~30 s of
// build time, and none of these layers is used outside GlowNet. Their
// parameters, buffers and submodules are public fields named as in the
// state_dict, the way torch::nn's own modules (Conv2dImpl::weight) expose them.

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>
#include <torch/serialize/input-archive.h>

namespace latent::flow {

struct GlowConfig {
    int imageSize = 0;  // S: square images, divisible by 2^levels
    int channels = 0;   // C: 1 (gray) or 3 (RGB)
    int levels = 2;
    int stepsPerLevel = 8;
    int hidden = 128;   // coupling network width

    std::int64_t dim() const { return std::int64_t(channels) * imageSize * imageSize; }
    // Parameters and buffers of the network (checked before building it).
    std::int64_t valueCount() const;
    // Empty when the configuration can be built, else what is wrong, naming
    // the field as model.json spells it ("image_size 30 is not divisible by 2^levels = 4").
    std::string problem() const;
};

// y = (x + bias) * exp(logs), per channel; bias and logs are initialised from
// the first training batch so that batch comes out with zero mean and unit variance.
class ActNormImpl : public torch::nn::Module {
public:
    explicit ActNormImpl(std::int64_t channels);
    at::Tensor forward(const at::Tensor& x, at::Tensor& logdet);
    at::Tensor reverse(const at::Tensor& y);
    // Zero bias and logs, waiting for the next training batch to initialise them.
    void resetParameters();
    void load(torch::serialize::InputArchive& archive) override;  // a checkpoint: read the flag afresh

    at::Tensor bias, logs, initialized;

private:
    // Once `initialized` was seen set, training stops reading it: on a GPU
    // each read is a device sync in the middle of the forward pass.
    bool m_knownInitialized = false;
};
TORCH_MODULE(ActNorm);

// Invertible 1x1 convolution, W = P L (U + diag(sign_s * exp(log_s))), so
// log|det W| = sum(log_s) costs nothing (Glow §3.2).
class InvConv1x1LUImpl : public torch::nn::Module {
public:
    explicit InvConv1x1LUImpl(std::int64_t channels);
    at::Tensor forward(const at::Tensor& x, at::Tensor& logdet);
    at::Tensor reverse(const at::Tensor& y);
    at::Tensor weight() const;
    // Starts from a random rotation (its LU factors), drawn from `gen`.
    void resetParameters(at::Generator& gen);
    // Stores W^-1 for reverse(); only for a model that no longer changes (the
    // loaded, immutable one). train(true) drops it, so training never sees a stale inverse.
    void cacheInverse();
    void train(bool on = true) override;

    at::Tensor p, sign_s, l_mask, eye, lower, upper, log_s;

private:
    at::Tensor m_inverse;
};
TORCH_MODULE(InvConv1x1LU);

// A zero-initialised 3x3 conv whose output is scaled by exp(3 * logs): the flow
// starts as the identity and learns the scale on a gentle, log scale (Glow).
class ZeroConv2dImpl : public torch::nn::Module {
public:
    ZeroConv2dImpl(std::int64_t in, std::int64_t out);
    at::Tensor forward(const at::Tensor& x);

    torch::nn::Conv2d conv{nullptr};
    at::Tensor logs;
};
TORCH_MODULE(ZeroConv2d);

// Affine coupling: the second half of the channels is shifted and scaled by a
// network of the first half; scale = sigmoid(h + 2) keeps it in (0, 1), stable.
class AffineCouplingImpl : public torch::nn::Module {
public:
    AffineCouplingImpl(std::int64_t channels, std::int64_t hidden);
    at::Tensor forward(const at::Tensor& x, at::Tensor& logdet);
    at::Tensor reverse(const at::Tensor& y);

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    ZeroConv2d zero{nullptr};

private:
    void shiftScale(const at::Tensor& xa, at::Tensor& shift, at::Tensor& scale);
};
TORCH_MODULE(AffineCoupling);

class FlowStepImpl : public torch::nn::Module {
public:
    FlowStepImpl(std::int64_t channels, std::int64_t hidden);
    at::Tensor forward(const at::Tensor& x, at::Tensor& logdet);
    at::Tensor reverse(const at::Tensor& y);

    ActNorm actnorm{nullptr};
    InvConv1x1LU invconv{nullptr};
    AffineCoupling coupling{nullptr};
};
TORCH_MODULE(FlowStep);

// One scale: K steps, then (except the last level) a split whose second half
// leaves the flow with a Gaussian prior conditioned on the first half.
class FlowLevelImpl : public torch::nn::Module {
public:
    FlowLevelImpl(std::int64_t channels, std::int64_t hidden, int steps, bool last);

    torch::nn::ModuleList steps{nullptr};
    ZeroConv2d prior{nullptr};  // null on the last level
};
TORCH_MODULE(FlowLevel);

struct GlowOutput {
    at::Tensor eps;     // [B, D] the latent: every split's standardised eps, then the top, ~N(0, 1)
    at::Tensor z;       // [B, D] the raw flow output (split halves and top) before standardising
    at::Tensor logdet;  // [B] log|det dz/dy|
    at::Tensor logp;    // [B] log p(y) = log p(z) + logdet, in nats
};

class GlowNetImpl : public torch::nn::Module {
public:
    explicit GlowNetImpl(const GlowConfig& config);

    // y [B, C, S, S] dequantised pixels in [-0.5, 0.5) -> latent, log-density.
    GlowOutput forward(const at::Tensor& y);
    // The exact inverse: eps [B, D] -> y [B, C, S, S] (unclamped).
    at::Tensor reverse(const at::Tensor& eps);

    // Training initialisation from `gen` (reproducible from the run's seed):
    // convs as torch's default, rotations for the 1x1 convs, zeros for the
    // zero-convs, actnorm waiting for its first batch.
    void resetParameters(at::Generator& gen);
    // For the immutable loaded model: switches to eval mode and caches every W^-1.
    void freezeForInference();

    const GlowConfig& config() const { return m_config; }
    std::int64_t parameterCount() const;

    torch::nn::ModuleList levels{nullptr};

private:
    struct Piece {
        std::int64_t c, h, w;
        std::int64_t numel() const { return c * h * w; }
    };
    GlowConfig m_config;
    std::vector<Piece> m_pieces;  // the eps block each level contributes, in latent order
};
TORCH_MODULE(GlowNet);

// Images in [0, 1] ([B, C, H, W], p/255) -> y = (p + u)/256 - 0.5 with p the
// rounded 8-bit value; `noise` u in [0, 1) of the same shape, or undefined for
// the midpoint u = 0.5 (deterministic scoring and encoding).
at::Tensor dequantizeImages(const at::Tensor& images, const at::Tensor& noise = {});
// bits/dim of 8-bit data from log p(y): (-log p(y) + D ln 256) / (D ln 2).
at::Tensor bitsPerDim(const at::Tensor& logp, std::int64_t dim);

}  // namespace latent::flow
