#include "VaeNet.h"

#include <ATen/ATen.h>
#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/loss.h>

#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent::image {
namespace {

// Bounds a loadable package may use: generous beyond what training offers,
// tight enough that a typo cannot ask for terabytes.
constexpr int kMaxImageSize = 1024;
constexpr int kMaxLatentDim = 4096;
constexpr int kMaxWidth = 1024;


}  // namespace

void VaeConfig::validate() const {
    if (imageSize < 4 || imageSize > kMaxImageSize || imageSize % 4 != 0)
        throw Error(ErrorKind::BadArgument,
                    "VAE image size " + std::to_string(imageSize) +
                        " is not a multiple of 4 from 4 to " + std::to_string(kMaxImageSize) +
                        ": the encoder halves it twice (e.g. use size 28 or 32)");
    if (channels != 1 && channels != 3)
        throw Error(ErrorKind::BadArgument,
                    "VAE channels is " + std::to_string(channels) + "; it must be 1 (gray) or 3 (RGB)");
    if (latentDim < 1 || latentDim > kMaxLatentDim)
        throw Error(ErrorKind::BadArgument, "VAE latent_dim is " + std::to_string(latentDim) +
                                                "; it must be from 1 to " + std::to_string(kMaxLatentDim));
    if (width < 1 || width > kMaxWidth)
        throw Error(ErrorKind::BadArgument, "VAE width is " + std::to_string(width) + "; it must be from 1 to " +
                                                std::to_string(kMaxWidth));
    if (!(beta >= 0))
        throw Error(ErrorKind::BadArgument, "VAE beta is " + std::to_string(beta) + "; it must be >= 0");
}

std::int64_t VaeConfig::valueCount() const {
    const std::int64_t c = channels, w = width, l = latentDim, s4 = imageSize / 4;
    const std::int64_t flat = 4 * w * s4 * s4;
    const auto conv = [](std::int64_t in, std::int64_t out, std::int64_t k) { return out * in * k * k + out; };
    return conv(c, w, 3) + conv(w, 2 * w, 4) + conv(2 * w, 4 * w, 4)  // encoder
           + 2 * (flat * l + l)                                        // mu, logvar
           + (l * flat + flat)                                         // fc
           + conv(4 * w, 2 * w, 4) + conv(2 * w, w, 4) + conv(w, c, 3);  // decoder (transposed convs count alike)
}

nlohmann::json VaeConfig::toJson() const {
    return {{"image_size", imageSize}, {"channels", channels}, {"latent_dim", latentDim}, {"width", width},
            {"beta", beta}};
}

VaeConfig VaeConfig::fromJson(const nlohmann::json& c, const std::string& source) {
    const JsonReader r(c, source, ErrorKind::ModelPackage, "config");
    if (!c.is_object()) r.failHere("must be an object");
    VaeConfig out;
    out.imageSize = int(r.integer("image_size", 4, kMaxImageSize));
    if (out.imageSize % 4 != 0) r.fail("image_size", "is " + std::to_string(out.imageSize) +
                                                         "; it must be divisible by 4 (the encoder halves it twice)");
    out.channels = int(r.integer("channels", 1, 3));
    if (out.channels == 2) r.fail("channels", "is 2; it must be 1 (gray) or 3 (RGB)");
    out.latentDim = int(r.integer("latent_dim", 1, kMaxLatentDim));
    out.width = int(r.integer("width", 1, kMaxWidth));
    out.beta = r.number("beta", out.beta, 0.0, 1e6);
    return out;
}

VaeNetImpl::VaeNetImpl(const VaeConfig& config) : m_config(config) {
    m_config.validate();
    const int64_t c = config.channels, w = config.width, l = config.latentDim, s4 = config.imageSize / 4;
    const int64_t flat = 4 * w * s4 * s4;
    using torch::nn::Conv2dOptions;
    using torch::nn::ConvTranspose2dOptions;
    m_enc1 = register_module("enc1", torch::nn::Conv2d(Conv2dOptions(c, w, 3).padding(1)));
    m_enc2 = register_module("enc2", torch::nn::Conv2d(Conv2dOptions(w, 2 * w, 4).stride(2).padding(1)));
    m_enc3 = register_module("enc3", torch::nn::Conv2d(Conv2dOptions(2 * w, 4 * w, 4).stride(2).padding(1)));
    m_mu = register_module("mu", torch::nn::Linear(flat, l));
    m_logvar = register_module("logvar", torch::nn::Linear(flat, l));
    m_fc = register_module("fc", torch::nn::Linear(l, flat));
    m_dec1 = register_module("dec1",
                             torch::nn::ConvTranspose2d(ConvTranspose2dOptions(4 * w, 2 * w, 4).stride(2).padding(1)));
    m_dec2 = register_module("dec2",
                             torch::nn::ConvTranspose2d(ConvTranspose2dOptions(2 * w, w, 4).stride(2).padding(1)));
    m_out = register_module("out", torch::nn::Conv2d(Conv2dOptions(w, c, 3).padding(1)));
}

void VaeNetImpl::checkImages(const at::Tensor& images) const {
    const int64_t s = m_config.imageSize;
    if (!images.defined() || images.dim() != 4 || images.size(1) != m_config.channels || images.size(2) != s ||
        images.size(3) != s)
        throw Error(ErrorKind::BadArgument,
                    "this VAE encodes images of shape [batch, " + std::to_string(m_config.channels) + ", " +
                        std::to_string(s) + ", " + std::to_string(s) + "], got " +
                        (images.defined() ? tensorShapeText(images) : std::string("nothing")));
}

VaeNetImpl::Posterior VaeNetImpl::encode(const at::Tensor& images) {
    checkImages(images);
    at::Tensor h = at::silu(m_enc1->forward(images));
    h = at::silu(m_enc2->forward(h));
    h = at::silu(m_enc3->forward(h)).flatten(1);
    return {m_mu->forward(h), m_logvar->forward(h)};
}

at::Tensor VaeNetImpl::decodeLogits(const at::Tensor& latents) {
    if (!latents.defined() || latents.dim() != 2 || latents.size(1) != m_config.latentDim)
        throw Error(ErrorKind::BadArgument, "this VAE decodes latents of shape [batch, " +
                                                std::to_string(m_config.latentDim) + "], got " +
                                                (latents.defined() ? tensorShapeText(latents) : std::string("nothing")));
    const int64_t s4 = m_config.imageSize / 4;
    at::Tensor h = at::silu(m_fc->forward(latents)).view({latents.size(0), 4 * m_config.width, s4, s4});
    h = at::silu(m_dec1->forward(h));
    h = at::silu(m_dec2->forward(h));
    return m_out->forward(h);
}

at::Tensor VaeNetImpl::decode(const at::Tensor& latents) { return at::sigmoid(decodeLogits(latents)); }

at::Tensor VaeNetImpl::reconNats(const at::Tensor& logits, const at::Tensor& images) {
    return at::binary_cross_entropy_with_logits(logits, images, {}, {}, at::Reduction::None).sum({1, 2, 3});
}

at::Tensor VaeNetImpl::klNats(const Posterior& q) {
    return 0.5 * (q.mu.pow(2) + q.logvar.exp() - 1.0 - q.logvar).sum(1);
}

at::Tensor VaeNetImpl::elboAtMean(const at::Tensor& images) {
    const Posterior q = encode(images);
    return -(reconNats(decodeLogits(q.mu), images) + klNats(q));
}

}  // namespace latent::image
