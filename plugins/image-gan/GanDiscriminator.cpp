#include "GanDiscriminator.h"

#include <algorithm>
#include <cmath>

#include <ATen/ATen.h>

namespace latent::gan {
namespace {

// Appends the standard deviation across groups of up to 4 samples as one
// extra channel, so the discriminator can see a collapse in variety.
at::Tensor minibatchStddev(const at::Tensor& x) {
    const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    std::int64_t group = std::min<std::int64_t>(4, n);
    while (n % group != 0) --group;
    at::Tensor y = x.reshape({group, n / group, c, h, w});
    y = y - y.mean(0);
    y = (y.square().mean(0) + 1e-8).sqrt();       // [n/group, c, h, w]
    y = y.mean({1, 2, 3}).reshape({-1, 1, 1, 1});  // [n/group, 1, 1, 1]
    y = y.repeat({group, 1, h, w});                // sample i belongs to group member i % (n/group)
    return at::cat({x, y}, 1);
}

}  // namespace

EqualConvImpl::EqualConvImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, bool activate)
    : m_gain(1.0 / std::sqrt(double(in * kernel * kernel))), m_kernel(kernel), m_activate(activate) {
    m_weight = register_parameter("weight", at::randn({out, in, kernel, kernel}));
    m_bias = register_parameter("bias", at::zeros({out}));
}

at::Tensor EqualConvImpl::forward(const at::Tensor& x) {
    if (!m_activate) return at::conv2d(x, m_weight * m_gain, m_bias, 1, m_kernel / 2);
    // lrelu(v)·√2 = lrelu(√2·v): the activation gain folds into the conv, saving a pass.
    const double act = std::sqrt(2.0);
    return at::leaky_relu(at::conv2d(x, m_weight * (m_gain * act), m_bias * act, 1, m_kernel / 2), 0.2);
}

GanDiscriminatorImpl::GanDiscriminatorImpl(const GanConfig& config) : m_config(config) {
    const int c0 = config.widths[0], c1 = config.widths[1], c2 = config.widths[2];
    const int r0 = config.imageSize / 4;
    m_fromRgb = register_module("fromrgb", EqualConv(config.channels, c2, 1));
    auto d2 = register_module("d2", std::make_shared<torch::nn::Module>());
    auto d1 = register_module("d1", std::make_shared<torch::nn::Module>());
    auto d0 = register_module("d0", std::make_shared<torch::nn::Module>());
    m_d2conv = d2->register_module("conv", EqualConv(c2, c2, 3));
    m_d1conv0 = d1->register_module("conv0", EqualConv(c2, c1, 3));
    m_d1conv1 = d1->register_module("conv1", EqualConv(c1, c1, 3));
    m_d0conv = d0->register_module("conv", EqualConv(c1, c0, 3));
    m_fc = register_module("fc", EqualLinear(std::int64_t(c0 + 1) * r0 * r0, c0));
    m_out = register_module("out", EqualLinear(c0, 1));
    if (config.numClasses > 0) m_embed = register_module("embed", torch::nn::Embedding(config.numClasses, c0));
}

at::Tensor GanDiscriminatorImpl::forward(const at::Tensor& images, const at::Tensor& labels) {
    at::Tensor x = m_d2conv->forward(m_fromRgb->forward(images));
    x = at::avg_pool2d(x, 2);
    x = m_d1conv1->forward(m_d1conv0->forward(x));
    x = at::avg_pool2d(x, 2);
    x = minibatchStddev(m_d0conv->forward(x));
    const at::Tensor h = lrelu(m_fc->forward(x.flatten(1)));
    at::Tensor out = m_out->forward(h).squeeze(1);
    if (m_config.numClasses > 0) {
        // Projection conditioning (Miyato & Koyama): <embed(y), h>, scaled so it starts at unit size.
        out = out + (m_embed->forward(labels) * h).sum(1) * (1.0 / std::sqrt(double(m_config.widths[0])));
    }
    return out;
}

}  // namespace latent::gan
