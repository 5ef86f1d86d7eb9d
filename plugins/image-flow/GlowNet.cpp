#include "GlowNet.h"

#include <cmath>
#include <numbers>

#include <ATen/ATen.h>

#include "latent/Error.h"

namespace latent::flow {
namespace {

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

// Space-to-depth: [B, c, h, w] -> [B, 4c, h/2, w/2].
at::Tensor squeeze2(const at::Tensor& x) {
    const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    return x.view({b, c, h / 2, 2, w / 2, 2}).permute({0, 1, 3, 5, 2, 4}).reshape({b, 4 * c, h / 2, w / 2});
}

at::Tensor unsqueeze2(const at::Tensor& x) {
    const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    return x.view({b, c / 4, 2, 2, h, w}).permute({0, 1, 4, 2, 5, 3}).reshape({b, c / 4, 2 * h, 2 * w});
}

// Sum over everything but the batch of the standard-normal log density.
at::Tensor gaussianLogDensity(const at::Tensor& eps) {
    return ((eps * eps + kLog2Pi) * -0.5).flatten(1).sum(1);
}

// Even channels carry the mean, odd ones the log-scale (as the reference slices them).
at::Tensor evenChannels(const at::Tensor& t) { return t.slice(1, 0, t.size(1), 2); }
at::Tensor oddChannels(const at::Tensor& t) { return t.slice(1, 1, t.size(1), 2); }

// torch's default Conv2d initialisation (uniform in +-1/sqrt(fan_in)), drawn from `gen`.
void resetConv(torch::nn::Conv2dImpl& conv, at::Generator& gen) {
    at::NoGradGuard noGrad;
    const auto fanIn = conv.weight.size(1) * conv.weight.size(2) * conv.weight.size(3);
    const double bound = 1.0 / std::sqrt(double(fanIn));
    conv.weight.copy_(at::rand(conv.weight.sizes(), gen, at::kFloat) * (2 * bound) - bound);
    conv.bias.copy_(at::rand(conv.bias.sizes(), gen, at::kFloat) * (2 * bound) - bound);
}

void zeroConv(ZeroConv2dImpl& zero) {
    at::NoGradGuard noGrad;
    zero.conv->weight.zero_();
    zero.conv->bias.zero_();
    zero.logs.zero_();
}

}  // namespace

std::string GlowConfig::problem() const {
    if (channels < 1 || channels > 4) return "channels must be 1 to 4, not " + std::to_string(channels);
    if (levels < 1 || levels > 8) return "levels must be 1 to 8, not " + std::to_string(levels);
    if (stepsPerLevel < 1 || stepsPerLevel > 64)
        return "steps_per_level must be 1 to 64, not " + std::to_string(stepsPerLevel);
    if (hidden < 1 || hidden > 4096) return "hidden must be 1 to 4096, not " + std::to_string(hidden);
    if (imageSize < 1 || imageSize > 1024) return "image_size must be 1 to 1024, not " + std::to_string(imageSize);
    const int factor = 1 << levels;
    if (imageSize % factor != 0)
        return "image_size " + std::to_string(imageSize) + " is not divisible by 2^levels = " + std::to_string(factor) +
               " (levels " + std::to_string(levels) + "): every level halves the image side";
    return {};
}

std::int64_t GlowConfig::valueCount() const {
    const std::int64_t h = hidden;
    const auto conv = [](std::int64_t in, std::int64_t out, std::int64_t k) { return out * in * k * k + out; };
    const auto zeroConv = [&](std::int64_t in, std::int64_t out) { return conv(in, out, 3) + out; };
    std::int64_t n = 0, c = channels;
    for (int l = 0; l < levels; ++l) {
        const std::int64_t C = 4 * c;
        const std::int64_t actnorm = 2 * C + 1;             // bias, logs, initialized
        const std::int64_t invconv = 5 * C * C + 2 * C;     // p, l_mask, eye, lower, upper; sign_s, log_s
        const std::int64_t coupling = conv(C / 2, h, 3) + conv(h, h, 1) + zeroConv(h, C);
        n += std::int64_t(stepsPerLevel) * (actnorm + invconv + coupling);
        if (l != levels - 1) n += zeroConv(C / 2, C);     // the split's prior
        c = 2 * c;
    }
    return n;
}

// ---- ActNorm

ActNormImpl::ActNormImpl(std::int64_t channels) {
    bias = register_parameter("bias", at::zeros({1, channels, 1, 1}));
    logs = register_parameter("logs", at::zeros({1, channels, 1, 1}));
    initialized = register_buffer("initialized", at::zeros({1}, at::kByte));
}

at::Tensor ActNormImpl::forward(const at::Tensor& x, at::Tensor& logdet) {
    if (is_training() && !m_knownInitialized) {
        if (!initialized.is_nonzero()) {
            // Data-dependent initialisation (Glow §3.1) on the first training batch.
            at::NoGradGuard noGrad;
            const auto detached = x.detach();
            bias.copy_(-detached.mean({0, 2, 3}, true));
            logs.copy_(-(detached.var({0, 2, 3}, false, true).sqrt() + 1e-6).log());
            initialized.fill_(1);
        }
        m_knownInitialized = true;
    }
    logdet = logs.sum() * (x.size(2) * x.size(3));
    return (x + bias) * logs.exp();
}

at::Tensor ActNormImpl::reverse(const at::Tensor& y) { return y * (-logs).exp() - bias; }

void ActNormImpl::resetParameters() {
    at::NoGradGuard noGrad;
    bias.zero_();
    logs.zero_();
    initialized.zero_();
    m_knownInitialized = false;
}

void ActNormImpl::load(torch::serialize::InputArchive& archive) {
    torch::nn::Module::load(archive);
    m_knownInitialized = false;
}

// ---- InvConv1x1LU

InvConv1x1LUImpl::InvConv1x1LUImpl(std::int64_t channels) {
    // Identity until resetParameters() or loaded weights say otherwise.
    p = register_buffer("p", at::eye(channels));
    sign_s = register_buffer("sign_s", at::ones({channels}));
    l_mask = register_buffer("l_mask", at::tril(at::ones({channels, channels}), -1));
    eye = register_buffer("eye", at::eye(channels));
    lower = register_parameter("lower", at::zeros({channels, channels}));
    upper = register_parameter("upper", at::zeros({channels, channels}));
    log_s = register_parameter("log_s", at::zeros({channels}));
}

void InvConv1x1LUImpl::resetParameters(at::Generator& gen) {
    at::NoGradGuard noGrad;
    const auto c = lower.size(0);
    const auto q = std::get<0>(at::linalg_qr(at::randn({c, c}, gen, at::kFloat)));
    const auto [perm, l, u] = at::linalg_lu(q);
    const auto s = u.diagonal();
    p.copy_(perm);
    sign_s.copy_(s.sign());
    lower.copy_(l);
    upper.copy_(u.triu(1));
    log_s.copy_(s.abs().log());
    m_inverse = at::Tensor();
}

at::Tensor InvConv1x1LUImpl::weight() const {
    const auto low = lower * l_mask + eye;
    const auto up = upper * l_mask.t() + at::diag(sign_s * log_s.exp());
    return p.matmul(low).matmul(up);
}

at::Tensor InvConv1x1LUImpl::forward(const at::Tensor& x, at::Tensor& logdet) {
    const auto c = x.size(1);
    logdet = log_s.sum() * (x.size(2) * x.size(3));
    return at::conv2d(x, weight().view({c, c, 1, 1}));
}

at::Tensor InvConv1x1LUImpl::reverse(const at::Tensor& y) {
    const auto c = y.size(1);
    if (m_inverse.defined() && !is_training()) return at::conv2d(y, m_inverse);
    return at::conv2d(y, at::inverse(weight()).view({c, c, 1, 1}));
}

void InvConv1x1LUImpl::cacheInverse() {
    at::NoGradGuard noGrad;
    const auto c = lower.size(0);
    m_inverse = at::inverse(weight()).view({c, c, 1, 1}).detach();
}

void InvConv1x1LUImpl::train(bool on) {
    if (on) m_inverse = at::Tensor();
    torch::nn::Module::train(on);
}

// ---- ZeroConv2d

ZeroConv2dImpl::ZeroConv2dImpl(std::int64_t in, std::int64_t out) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)));
    logs = register_parameter("logs", at::zeros({1, out, 1, 1}));
    zeroConv(*this);
}

at::Tensor ZeroConv2dImpl::forward(const at::Tensor& x) { return conv->forward(x) * (logs * 3).exp(); }

// ---- AffineCoupling

AffineCouplingImpl::AffineCouplingImpl(std::int64_t channels, std::int64_t hidden) {
    conv1 = register_module("conv1",
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(channels / 2, hidden, 3).padding(1)));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(hidden, hidden, 1)));
    zero = register_module("zero", ZeroConv2d(hidden, channels));
}

void AffineCouplingImpl::shiftScale(const at::Tensor& xa, at::Tensor& shift, at::Tensor& scale) {
    const auto h = zero->forward(at::relu(conv2->forward(at::relu(conv1->forward(xa)))));
    shift = evenChannels(h);
    scale = at::sigmoid(oddChannels(h) + 2);
}

at::Tensor AffineCouplingImpl::forward(const at::Tensor& x, at::Tensor& logdet) {
    const auto halves = x.chunk(2, 1);
    at::Tensor shift, scale;
    shiftScale(halves[0], shift, scale);
    logdet = scale.log().flatten(1).sum(1);
    return at::cat({halves[0], (halves[1] + shift) * scale}, 1);
}

at::Tensor AffineCouplingImpl::reverse(const at::Tensor& y) {
    const auto halves = y.chunk(2, 1);
    at::Tensor shift, scale;
    shiftScale(halves[0], shift, scale);
    return at::cat({halves[0], halves[1] / scale - shift}, 1);
}

// ---- FlowStep, FlowLevel

FlowStepImpl::FlowStepImpl(std::int64_t channels, std::int64_t hidden) {
    actnorm = register_module("actnorm", ActNorm(channels));
    invconv = register_module("invconv", InvConv1x1LU(channels));
    coupling = register_module("coupling", AffineCoupling(channels, hidden));
}

at::Tensor FlowStepImpl::forward(const at::Tensor& x, at::Tensor& logdet) {
    at::Tensor a, b, c;
    auto out = actnorm->forward(x, a);
    out = invconv->forward(out, b);
    out = coupling->forward(out, c);
    logdet = a + b + c;  // summed in the reference's order, for float parity
    return out;
}

at::Tensor FlowStepImpl::reverse(const at::Tensor& y) {
    return actnorm->reverse(invconv->reverse(coupling->reverse(y)));
}

FlowLevelImpl::FlowLevelImpl(std::int64_t channels, std::int64_t hidden, int stepCount, bool last) {
    steps = register_module("steps", torch::nn::ModuleList());
    for (int k = 0; k < stepCount; ++k) steps->push_back(FlowStep(channels, hidden));
    if (!last) prior = register_module("prior", ZeroConv2d(channels / 2, channels));
}

// ---- GlowNet

GlowNetImpl::GlowNetImpl(const GlowConfig& config) : m_config(config) {
    if (const auto why = config.problem(); !why.empty()) throw Error(ErrorKind::BadArgument, "flow config: " + why);
    levels = register_module("levels", torch::nn::ModuleList());
    std::int64_t c = config.channels, s = config.imageSize;
    for (int l = 0; l < config.levels; ++l) {
        const bool last = l == config.levels - 1;
        levels->push_back(FlowLevel(4 * c, config.hidden, config.stepsPerLevel, last));
        c *= 4;
        s /= 2;
        m_pieces.push_back(last ? Piece{c, s, s} : Piece{c / 2, s, s});
        c /= 2;  // the split hands half the channels to the next level
    }
}

GlowOutput GlowNetImpl::forward(const at::Tensor& y) {
    if (y.dim() != 4 || y.size(1) != m_config.channels || y.size(2) != m_config.imageSize ||
        y.size(3) != m_config.imageSize)
        throw Error(ErrorKind::BadArgument, "the flow takes images [batch, " + std::to_string(m_config.channels) +
                                                ", " + std::to_string(m_config.imageSize) + ", " +
                                                std::to_string(m_config.imageSize) + "]");
    at::Tensor x = y;
    at::Tensor logdet = at::zeros({y.size(0)}, y.options());
    at::Tensor logpz = at::zeros({y.size(0)}, y.options());
    std::vector<at::Tensor> epsAll, zAll;
    for (std::size_t l = 0; l < levels->size(); ++l) {
        auto& level = levels->at<FlowLevelImpl>(l);
        x = squeeze2(x);
        for (std::size_t k = 0; k < level.steps->size(); ++k) {
            at::Tensor ld;
            x = level.steps->at<FlowStepImpl>(k).forward(x, ld);
            logdet = logdet + ld;
        }
        at::Tensor z, eps;
        if (!level.prior.is_empty()) {
            const auto halves = x.chunk(2, 1);
            x = halves[0];
            z = halves[1];
            const auto out = level.prior->forward(x);
            const auto mean = evenChannels(out), logs = oddChannels(out);
            eps = (z - mean) * (-logs).exp();
            logpz = logpz + gaussianLogDensity(eps) - logs.flatten(1).sum(1);
        } else {
            z = eps = x;
            logpz = logpz + gaussianLogDensity(eps);
        }
        epsAll.push_back(eps.flatten(1));
        zAll.push_back(z.flatten(1));
    }
    return {at::cat(epsAll, 1), at::cat(zAll, 1), logdet, logpz + logdet};
}

at::Tensor GlowNetImpl::reverse(const at::Tensor& eps) {
    const auto dim = m_config.dim();
    if (eps.dim() != 2 || eps.size(1) != dim)
        throw Error(ErrorKind::BadArgument, "the flow's latent has " + std::to_string(dim) + " values per image");
    const auto b = eps.size(0);
    std::vector<at::Tensor> pieces;
    std::int64_t offset = 0;
    for (const auto& piece : m_pieces) {
        pieces.push_back(eps.slice(1, offset, offset + piece.numel()).reshape({b, piece.c, piece.h, piece.w}));
        offset += piece.numel();
    }
    at::Tensor x = pieces.back();
    for (auto l = std::int64_t(levels->size()) - 1; l >= 0; --l) {
        auto& level = levels->at<FlowLevelImpl>(std::size_t(l));
        if (!level.prior.is_empty()) {
            const auto out = level.prior->forward(x);
            const auto mean = evenChannels(out), logs = oddChannels(out);
            x = at::cat({x, mean + logs.exp() * pieces[std::size_t(l)]}, 1);
        }
        for (auto k = std::int64_t(level.steps->size()) - 1; k >= 0; --k)
            x = level.steps->at<FlowStepImpl>(std::size_t(k)).reverse(x);
        x = unsqueeze2(x);
    }
    return x;
}

void GlowNetImpl::resetParameters(at::Generator& gen) {
    at::NoGradGuard noGrad;
    for (std::size_t l = 0; l < levels->size(); ++l) {
        auto& level = levels->at<FlowLevelImpl>(l);
        for (std::size_t k = 0; k < level.steps->size(); ++k) {
            auto& step = level.steps->at<FlowStepImpl>(k);
            step.actnorm->resetParameters();
            step.invconv->resetParameters(gen);
            resetConv(*step.coupling->conv1, gen);
            resetConv(*step.coupling->conv2, gen);
            zeroConv(*step.coupling->zero);
        }
        if (!level.prior.is_empty()) zeroConv(*level.prior);
    }
}

void GlowNetImpl::freezeForInference() {
    eval();
    for (std::size_t l = 0; l < levels->size(); ++l) {
        auto& level = levels->at<FlowLevelImpl>(l);
        for (std::size_t k = 0; k < level.steps->size(); ++k) level.steps->at<FlowStepImpl>(k).invconv->cacheInverse();
    }
}

std::int64_t GlowNetImpl::parameterCount() const {
    std::int64_t n = 0;
    for (const auto& p : parameters()) n += p.numel();
    return n;
}

at::Tensor dequantizeImages(const at::Tensor& images, const at::Tensor& noise) {
    const auto pixels = (images.clamp(0, 1) * 255).round();
    if (!noise.defined()) return (pixels + 0.5) / 256 - 0.5;
    return (pixels + noise) / 256 - 0.5;
}

at::Tensor bitsPerDim(const at::Tensor& logp, std::int64_t dim) {
    const double d = double(dim);
    return (-logp + d * std::log(256.0)) / (d * std::log(2.0));
}

}  // namespace latent::flow
