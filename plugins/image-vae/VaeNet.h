#pragma once
// The convolutional VAE of the image-vae family. Submodule names equal the
// attribute names of tests/reference/image_vae.py (and of bundled weights):
//   encoder  enc1 Conv(C→W,3) · enc2 Conv(W→2W,4,s2) · enc3 Conv(2W→4W,4,s2) → mu, logvar (Linear)
//   decoder  fc Linear(L→4W·(S/4)²) · dec1 ConvT(4W→2W,4,s2) · dec2 ConvT(2W→W,4,s2) · out Conv(W→C,3)
// SiLU between layers; the decoder returns Bernoulli logits per pixel.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace latent::image {

struct VaeConfig {
    int imageSize = 0;   // S: square images, divisible by 4 (two stride-2 stages)
    int channels = 0;    // C: 1 or 3
    int latentDim = 32;  // L
    int width = 32;      // W: channels of the first conv
    double beta = 1.0;   // weight of the KL term in the training loss

    // Throws Error(BadArgument) naming the value that cannot build a net.
    void validate() const;
    // Parameters and buffers of the network (checked before building it).
    std::int64_t valueCount() const;
    // model.json "config" (what VaeTrainable writes and the family reads back).
    nlohmann::json toJson() const;
    // Reads model.json "config"; throws Error(ModelPackage) naming `source`
    // and the missing or invalid field. beta is optional (inference ignores it).
    static VaeConfig fromJson(const nlohmann::json& config, const std::string& source);
};

class VaeNetImpl : public torch::nn::Module {
public:
    explicit VaeNetImpl(const VaeConfig& config);

    struct Posterior {
        at::Tensor mu;      // [B, L]
        at::Tensor logvar;  // [B, L]
    };
    // images [B, C, S, S] in [0, 1] -> q(z|x). Throws Error(BadArgument) on another shape.
    Posterior encode(const at::Tensor& images);
    // latents [B, L] -> per-pixel logits [B, C, S, S]. Throws Error(BadArgument) on another width.
    at::Tensor decodeLogits(const at::Tensor& latents);
    // sigmoid(decodeLogits): images in [0, 1].
    at::Tensor decode(const at::Tensor& latents);

    // -log p(x|z) of the Bernoulli decoder, summed over pixels: [B] nats.
    static at::Tensor reconNats(const at::Tensor& logits, const at::Tensor& images);
    // KL(N(mu, exp(logvar)) || N(0, I)), summed over latent dims: [B] nats.
    static at::Tensor klNats(const Posterior& q);
    // A deterministic per-image ELBO (beta 1), the score shown beside an image:
    // the reconstruction log-likelihood at z = mu minus the KL. Using the mean
    // rather than a random z keeps a score reproducible and free of sampling
    // noise; it is not the Monte-Carlo estimate (evaluate() reports that one).
    at::Tensor elboAtMean(const at::Tensor& images);

    const VaeConfig& config() const { return m_config; }

private:
    void checkImages(const at::Tensor& images) const;

    VaeConfig m_config;
    torch::nn::Conv2d m_enc1{nullptr}, m_enc2{nullptr}, m_enc3{nullptr};
    torch::nn::Linear m_mu{nullptr}, m_logvar{nullptr}, m_fc{nullptr};
    torch::nn::ConvTranspose2d m_dec1{nullptr}, m_dec2{nullptr};
    torch::nn::Conv2d m_out{nullptr};
};

TORCH_MODULE(VaeNet);

}  // namespace latent::image
