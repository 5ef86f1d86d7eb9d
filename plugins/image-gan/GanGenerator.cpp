#include "GanGenerator.h"

#include <cmath>

#include <ATen/ATen.h>
#include <torch/nn/modules/embedding.h>

#include "latent/Error.h"
#include "latent/formats/Json.h"

namespace latent::gan {
namespace {

constexpr double kMappingLrMul = 0.01;
constexpr double kWAvgBeta = 0.995;


}  // namespace

at::Tensor normalize2nd(const at::Tensor& x) { return x * at::rsqrt(x.square().mean(1, true) + 1e-8); }

at::Tensor lrelu(const at::Tensor& x) { return at::leaky_relu(x, 0.2) * std::sqrt(2.0); }

// ---- GanConfig -------------------------------------------------------------

nlohmann::json GanConfig::toJson() const {
    return {{"image_size", imageSize}, {"channels", channels},          {"z_dim", zDim},
            {"w_dim", wDim},           {"mapping_layers", mappingLayers}, {"num_classes", numClasses},
            {"widths", {widths[0], widths[1], widths[2]}}};
}

std::int64_t GanConfig::valueCount() const {
    const std::int64_t z = zDim, w = wDim, k = numClasses;
    const std::int64_t c0 = widths[0], c1 = widths[1], c2 = widths[2];
    const std::int64_t r0 = imageSize / 4, r1 = imageSize / 2, r2 = imageSize;
    // ModulatedConv: affine (w -> in), weight, bias, and per-layer noise.
    const auto modConv = [&](std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t noise) {
        return (w * in + in) + out * in * kernel * kernel + out + (noise > 0 ? 1 + noise * noise : 0);
    };
    std::int64_t n = k > 0 ? k * z : 0;  // class embedding
    for (int i = 0; i < mappingLayers; ++i) {
        const std::int64_t in = i == 0 ? (k > 0 ? 2 * z : z) : w;
        n += in * w + w;
    }
    n += w;               // w_avg
    n += c0 * r0 * r0;    // const
    n += modConv(c0, c0, 3, r0) + modConv(c0, c1, 3, r1) + modConv(c1, c1, 3, r1) + modConv(c1, c2, 3, r2) +
         modConv(c2, c2, 3, r2) + modConv(c2, channels, 1, 0);
    return n;
}

GanConfig GanConfig::fromJson(const nlohmann::json& c, const std::string& source) {
    const JsonReader r(c, source, ErrorKind::ModelPackage, "config");
    if (!c.is_object()) r.failHere("must be an object");
    GanConfig out;
    out.imageSize = int(r.integer("image_size", 4, 1024));
    if (out.imageSize % 4 != 0)
        r.fail("image_size", "is " + std::to_string(out.imageSize) +
                                 "; it must be divisible by 4 (the generator starts at a quarter of it)");
    out.channels = int(r.integer("channels", 1, 4));
    if (out.channels == 2) r.fail("channels", "is 2; it must be 1 (gray), 3 (RGB) or 4 (RGBA)");
    out.zDim = int(r.integer("z_dim", out.zDim, 1, 4096));
    out.wDim = int(r.integer("w_dim", out.wDim, 1, 4096));
    out.mappingLayers = int(r.integer("mapping_layers", out.mappingLayers, 1, 16));
    out.numClasses = int(r.integer("num_classes", 0, 0, 100000));  // 0 = unconditional
    if (const auto widths = r.optionalArray("widths")) {
        if (widths->size() != 3)
            r.fail("widths", "must be three whole numbers (channels at S/4, S/2, S)");
        for (std::size_t i = 0; i < 3; ++i) out.widths[i] = int(widths->at(i).asInteger(1, 4096));
    }
    return out;
}

// ---- EqualLinear -----------------------------------------------------------

EqualLinearImpl::EqualLinearImpl(std::int64_t in, std::int64_t out, double lrMul, double biasInit)
    : m_weightGain(lrMul / std::sqrt(double(in))), m_biasGain(lrMul) {
    weight = register_parameter("weight", at::randn({out, in}) / lrMul);
    bias = register_parameter("bias", at::full({out}, biasInit));
}

at::Tensor EqualLinearImpl::forward(const at::Tensor& x) {
    return at::linear(x, weight * m_weightGain, bias * m_biasGain);
}

// ---- ModulatedConv ---------------------------------------------------------

ModulatedConvImpl::ModulatedConvImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t wDim,
                                     bool demodulate, std::int64_t noiseSize, bool activate)
    : m_in(in), m_out(out), m_kernel(kernel), m_demodulate(demodulate), m_activate(activate) {
    // Styles start at 1 (bias init 1), so a fresh layer passes activations through.
    m_affine = register_module("affine", EqualLinear(wDim, in, 1.0, 1.0));
    m_weight = register_parameter("weight", at::randn({out, in, kernel, kernel}));
    m_bias = register_parameter("bias", at::zeros({out}));
    if (noiseSize > 0) {
        m_noiseStrength = register_parameter("noise_strength", at::zeros({}));
        m_noiseConst = register_buffer("noise_const", at::randn({1, 1, noiseSize, noiseSize}));
    }
}

at::Tensor ModulatedConvImpl::forward(const at::Tensor& x, const at::Tensor& w, NoiseMode noise, at::Generator* gen) {
    const std::int64_t batch = x.size(0);
    const at::Tensor styles = m_affine->forward(w);  // [B, in]
    const at::Tensor weight = m_weight * (1.0 / std::sqrt(double(m_in * m_kernel * m_kernel)));
    at::Tensor y = at::conv2d(x * styles.view({batch, m_in, 1, 1}), weight, {}, 1, m_kernel / 2);
    // What follows the conv is one fused multiply-add (it dominates the cost
    // besides the convs): lrelu(v)·√2 = lrelu(√2·v), so the activation gain
    // folds into the demodulation, the noise and the bias.
    const double gain = m_activate ? std::sqrt(2.0) : 1.0;
    at::Tensor offset = (m_bias * gain).view({1, m_out, 1, 1});
    if (m_noiseStrength.defined()) {
        at::Tensor n = m_noiseConst;
        if (noise == NoiseMode::Random) {
            // Drawn on the CPU from the training generator, so a seed repeats a run on any device.
            n = (gen ? at::randn({batch, 1, y.size(2), y.size(3)}, *gen, at::kFloat)
                     : at::randn({batch, 1, y.size(2), y.size(3)}, at::kFloat))
                    .to(y.device(), y.scalar_type());
        }
        offset = offset + (m_noiseStrength * gain) * n;
    }
    if (m_demodulate) {
        // d[b,o] = rsqrt(sum_i s[b,i]² · sum_k w[o,i,k]² + 1e-8)
        const at::Tensor d = at::rsqrt(at::matmul(styles.square(), weight.square().sum({2, 3}).t()) + 1e-8);
        y = at::addcmul(offset, y, (d * gain).view({batch, m_out, 1, 1}));
    } else {
        y = m_activate ? at::add(offset, y, gain) : y + offset;
    }
    return m_activate ? at::leaky_relu(y, 0.2) : y;
}

// ---- GanGenerator ----------------------------------------------------------

GanGeneratorImpl::GanGeneratorImpl(const GanConfig& config) : m_config(config) {
    const auto& c = m_config;
    const int c0 = c.widths[0], c1 = c.widths[1], c2 = c.widths[2];
    const int r0 = c.imageSize / 4, r1 = c.imageSize / 2, r2 = c.imageSize;
    if (c.numClasses > 0) m_embed = register_module("embed", torch::nn::Embedding(c.numClasses, c.zDim));
    m_mapping = register_module("mapping", torch::nn::ModuleList());
    for (int i = 0; i < c.mappingLayers; ++i)
        m_mapping->push_back(EqualLinear(i == 0 ? (c.numClasses > 0 ? 2 * c.zDim : c.zDim) : c.wDim, c.wDim,
                                         kMappingLrMul, 0.0));
    m_wAvg = register_buffer("w_avg", at::zeros({c.wDim}));
    m_const = register_parameter("const", at::randn({c0, r0, r0}));

    auto b0 = register_module("b0", std::make_shared<torch::nn::Module>());
    auto b1 = register_module("b1", std::make_shared<torch::nn::Module>());
    auto b2 = register_module("b2", std::make_shared<torch::nn::Module>());
    m_b0conv = b0->register_module("conv", ModulatedConv(c0, c0, 3, c.wDim, true, r0, true));
    m_b1conv0 = b1->register_module("conv0", ModulatedConv(c0, c1, 3, c.wDim, true, r1, true));
    m_b1conv1 = b1->register_module("conv1", ModulatedConv(c1, c1, 3, c.wDim, true, r1, true));
    m_b2conv0 = b2->register_module("conv0", ModulatedConv(c1, c2, 3, c.wDim, true, r2, true));
    m_b2conv1 = b2->register_module("conv1", ModulatedConv(c2, c2, 3, c.wDim, true, r2, true));
    m_torgb = register_module("torgb", ModulatedConv(c2, c.channels, 1, c.wDim, false, 0, false));
}

at::Tensor GanGeneratorImpl::mapping(const at::Tensor& z, const at::Tensor& labels, bool trackAverage) {
    at::Tensor x = normalize2nd(z);
    if (m_config.numClasses > 0) x = at::cat({x, normalize2nd(m_embed->forward(labels))}, 1);
    for (const auto& layer : *m_mapping) x = lrelu(layer->as<EqualLinearImpl>()->forward(x));
    if (trackAverage) {
        at::NoGradGuard noGrad;
        m_wAvg.copy_(x.detach().mean(0).lerp(m_wAvg, kWAvgBeta));
    }
    return x;
}

at::Tensor GanGeneratorImpl::truncate(const at::Tensor& w, double psi) const {
    if (psi == 1.0) return w;
    return m_wAvg + psi * (w - m_wAvg);
}

at::Tensor GanGeneratorImpl::synthesis(const at::Tensor& w, NoiseMode noise, at::Generator* gen) {
    const std::int64_t batch = w.size(0);
    at::Tensor x = m_const.unsqueeze(0).expand({batch, -1, -1, -1});
    x = m_b0conv->forward(x, w, noise, gen);
    x = at::upsample_bilinear2d(x, {x.size(2) * 2, x.size(3) * 2}, false);
    x = m_b1conv0->forward(x, w, noise, gen);
    x = m_b1conv1->forward(x, w, noise, gen);
    x = at::upsample_bilinear2d(x, {x.size(2) * 2, x.size(3) * 2}, false);
    x = m_b2conv0->forward(x, w, noise, gen);
    x = m_b2conv1->forward(x, w, noise, gen);
    return m_torgb->forward(x, w, noise, gen);
}

at::Tensor GanGeneratorImpl::toUnit(const at::Tensor& raw) { return ((raw + 1.0) * 0.5).clamp(0.0, 1.0); }

}  // namespace latent::gan
