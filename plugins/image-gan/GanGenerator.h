#pragma once
// The StyleGAN-style generator of the image-gan family: a mapping network
// z (+ class) -> w and a synthesis network w -> image, every layer with an
// equalised learning rate (weights stored ~N(0,1)/lr_mul, scaled at run time).
//
// The small layer modules (EqualLinear, ModulatedConv) and the architecture
// config share this file pair on purpose: every torch-including translation
// unit costs ~30 s of build, and they are only ever used with the generator
// (the discriminator reuses EqualLinear from here).
//
// Parameter and buffer names equal those of tests/reference/image_gan.py and
// of the bundled weights: embed.weight, mapping.<i>.{weight,bias}, w_avg,
// const, b0.conv.*, b1.conv0.*, b1.conv1.*, b2.conv0.*, b2.conv1.*, torgb.*.

#include <array>
#include <cstdint>
#include <string>

#include <ATen/core/Generator.h>
#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

namespace latent::gan {

// model.json "config" of an image-gan package.
struct GanConfig {
    int imageSize = 28;  // S, divisible by 4
    int channels = 1;    // C: 1, 3 or 4
    int zDim = 64;
    int wDim = 128;
    int mappingLayers = 4;
    int numClasses = 0;                   // K; 0 = unconditional
    std::array<int, 3> widths{128, 64, 32};  // channels at S/4, S/2, S

    nlohmann::json toJson() const;
    // Parameters and buffers of the generator (checked before building it).
    std::int64_t valueCount() const;
    // Validates every field; throws Error(ModelPackage) "<source>: config.<field> …".
    static GanConfig fromJson(const nlohmann::json& config, const std::string& source);
};

// Linear layer with equalised learning rate.
class EqualLinearImpl : public torch::nn::Module {
public:
    EqualLinearImpl(std::int64_t in, std::int64_t out, double lrMul = 1.0, double biasInit = 0.0);
    at::Tensor forward(const at::Tensor& x);

    at::Tensor weight;  // [out, in]
    at::Tensor bias;    // [out]

private:
    double m_weightGain;
    double m_biasGain;
};
TORCH_MODULE(EqualLinear);

// How a ModulatedConv gets its per-pixel noise.
enum class NoiseMode {
    Const = 1,   // the stored noise_const buffer: decode(w) is deterministic
    Random = 2,  // fresh N(0,1) per sample (training)
};

// StyleGAN2 modulated convolution, computed as "modulate the activations,
// convolve with the shared weight, demodulate the output": the same result
// as the grouped convolution, but one ordinary batched conv (far faster on CPU).
class ModulatedConvImpl : public torch::nn::Module {
public:
    // noiseSize > 0 adds noise_strength × noise at that square resolution;
    // activate applies leaky_relu(0.2)·√2 after the bias (torgb: bias only).
    ModulatedConvImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t wDim, bool demodulate,
                      std::int64_t noiseSize, bool activate);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& w, NoiseMode noise, at::Generator* gen);

private:
    EqualLinear m_affine{nullptr};
    at::Tensor m_weight;          // [out, in, k, k]
    at::Tensor m_bias;            // [out]
    at::Tensor m_noiseStrength;   // scalar; undefined without noise
    at::Tensor m_noiseConst;      // [1, 1, n, n]
    std::int64_t m_in, m_out, m_kernel;
    bool m_demodulate, m_activate;
};
TORCH_MODULE(ModulatedConv);

class GanGeneratorImpl : public torch::nn::Module {
public:
    explicit GanGeneratorImpl(const GanConfig& config);

    // z [B, z_dim], labels int64 [B] (undefined when unconditional) -> w [B, w_dim].
    // With trackAverage, w_avg moves toward this batch's mean (EMA, beta 0.995).
    at::Tensor mapping(const at::Tensor& z, const at::Tensor& labels, bool trackAverage = false);
    // w_avg + psi · (w - w_avg).
    at::Tensor truncate(const at::Tensor& w, double psi) const;
    // w [B, w_dim] -> raw output [B, C, S, S], nominally in [-1, 1]. `gen`
    // (a CPU generator) draws the Random noise; null uses torch's default one.
    at::Tensor synthesis(const at::Tensor& w, NoiseMode noise = NoiseMode::Const, at::Generator* gen = nullptr);
    // Raw output -> image in [0, 1].
    static at::Tensor toUnit(const at::Tensor& raw);

    const GanConfig& config() const { return m_config; }
    const at::Tensor& wAvg() const { return m_wAvg; }

private:
    GanConfig m_config;
    torch::nn::Embedding m_embed{nullptr};
    torch::nn::ModuleList m_mapping{nullptr};
    at::Tensor m_wAvg;
    at::Tensor m_const;
    ModulatedConv m_b0conv{nullptr}, m_b1conv0{nullptr}, m_b1conv1{nullptr}, m_b2conv0{nullptr},
        m_b2conv1{nullptr}, m_torgb{nullptr};
};
TORCH_MODULE(GanGenerator);

// x · rsqrt(mean(x², dim 1) + 1e-8): StyleGAN's pixel norm of z and class embeddings.
at::Tensor normalize2nd(const at::Tensor& x);
// leaky_relu(0.2) · √2: the gain keeps activations at unit variance.
at::Tensor lrelu(const at::Tensor& x);

}  // namespace latent::gan
