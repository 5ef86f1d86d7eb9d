#include "DdspNet.h"

#include <cmath>

namespace latent::ddsp {
namespace {

namespace nn = torch::nn;
constexpr int kTimeFeatures = 9;

nn::Conv1d conv(int in, int out, int kernel, int stride = 1) {
    // Stride 1 keeps the length; stride 2 with kernel 4 halves it exactly.
    return nn::Conv1d(nn::Conv1dOptions(in, out, kernel).stride(stride).padding(stride == 1 ? kernel / 2 : (kernel - stride) / 2));
}

nn::LeakyReLU lrelu() { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)); }

// DDSP's scaled sigmoid: positive, with a wide range and gentle gradients.
at::Tensor expSigmoid(const at::Tensor& x) { return 2.0 * at::pow(at::sigmoid(x), std::log(10.0)) + 1e-7; }

}  // namespace

DdspNetImpl::DdspNetImpl(const DdspConfig& c) : m_config(c) {
    const int h = c.hidden;
    classEmbed = register_module("class_embed", nn::Embedding(c.numClasses(), c.classEmbedding));
    if (c.isVq()) {
        // Two stride-2 convolutions: one code per codeStride (4) control frames.
        encoder = register_module("encoder", nn::Sequential(conv(c.melBands, h, 3), lrelu(),
                                                            conv(h, h, 4, 2), lrelu(), conv(h, h, 4, 2),
                                                            lrelu()));
        toCode = register_module("to_code", nn::Conv1d(nn::Conv1dOptions(h, c.codeDim, 1)));
        quantizer = register_module("quantizer", VectorQuantizer(c.codebookSize, c.codeDim));
    } else {
        encoder = register_module("encoder", nn::Sequential(conv(c.melBands, h, 3), lrelu(), conv(h, h, 3),
                                                            lrelu(), conv(h, h, 3), lrelu()));
        toLatent = register_module("to_latent", nn::Linear(h, 2 * c.latentDim));
    }
    const int latentIn = c.isVq() ? c.codeDim : c.latentDim;
    const int in = latentIn + c.classEmbedding + 3 + kTimeFeatures;
    const int out = 1 + c.harmonics + c.noiseBands + 1;
    decoder = register_module("decoder", nn::Sequential(conv(in, h, 3), lrelu(), conv(h, h, 5),
                                                        lrelu(), conv(h, h, 5), lrelu(),
                                                        conv(h, h, 3), lrelu(),
                                                        nn::Conv1d(nn::Conv1dOptions(h, out, 1))));
    // Where in the note each frame is: the envelope's clock.
    const int frames = c.frames();
    timeFeatures = torch::zeros({1, kTimeFeatures, frames});
    auto tf = timeFeatures.accessor<float, 3>();
    for (int t = 0; t < frames; ++t) {
        const double x = double(t) / frames;
        for (int k = 0; k < 4; ++k) {
            tf[0][2 * k][t] = float(std::sin(M_PI * (k + 1) * x));
            tf[0][2 * k + 1][t] = float(std::cos(M_PI * (k + 1) * x));
        }
        tf[0][8][t] = float(std::log1p(t) / std::log1p(frames));
    }
    timeFeatures = register_buffer("time_features", timeFeatures);
}

Encoded DdspNetImpl::encode(const at::Tensor& logmel) {
    Encoded e;
    const at::Tensor hidden = encoder->forward(logmel);
    if (m_config.isVq()) {
        e.vq = quantizer->forward(toCode->forward(hidden));
    } else {
        const at::Tensor stats = toLatent->forward(hidden.mean(2));
        e.mean = stats.narrow(1, 0, m_config.latentDim);
        e.logvar = stats.narrow(1, m_config.latentDim, m_config.latentDim).clamp(-10, 4);
    }
    return e;
}

SynthControls DdspNetImpl::controls(const at::Tensor& latent, const at::Tensor& classEmbedding, const at::Tensor& pitch,
                                    const at::Tensor& velocity, const at::Tensor& pitched) {
    const DdspConfig& c = m_config;
    const int frames = c.frames();
    const auto b = latent.size(0);
    const at::Tensor isPitched = pitched.to(latent.dtype()).view({b, 1});
    const at::Tensor latentFrames = c.isVq() ? at::repeat_interleave(latent, c.codeStride, 2)
                                             : latent.unsqueeze(2).expand({b, c.latentDim, frames});
    const at::Tensor pitchFeature = ((pitch.to(latent.dtype()) - 60.0) / 24.0).view({b, 1}) * isPitched;
    const at::Tensor scalars = at::cat({pitchFeature, isPitched, velocity.to(latent.dtype()).view({b, 1})}, 1);
    const at::Tensor in = at::cat({latentFrames, classEmbedding.unsqueeze(2).expand({b, c.classEmbedding, frames}),
                                   scalars.unsqueeze(2).expand({b, 3, frames}), timeFeatures.expand({b, -1, frames})},
                                  1);
    const at::Tensor out = decoder->forward(in);
    const at::Tensor amp = expSigmoid(out.narrow(1, 0, 1));
    at::Tensor dist = at::softmax(out.narrow(1, 1, c.harmonics), 1);
    const at::Tensor noise = expSigmoid(out.narrow(1, 1 + c.harmonics, c.noiseBands) - 4.0);

    // f0: the requested pitch for notes; for drums the decoder's own, 30 Hz–1.2 kHz.
    const at::Tensor noteHz = (440.0 * at::pow(2.0, (pitch.to(latent.dtype()) - 69.0) / 12.0)).view({b, 1});
    const at::Tensor drumHz = 30.0 * at::exp(at::sigmoid(out.narrow(1, 1 + c.harmonics + c.noiseBands, 1).squeeze(1)) *
                                             std::log(40.0));
    const at::Tensor f0 = isPitched * noteHz.expand({b, frames}) + (1 - isPitched) * drumHz;
    // Harmonics at or above Nyquist would alias: silence them.
    const at::Tensor k = at::arange(1, c.harmonics + 1, latent.options()).view({1, -1, 1});
    const at::Tensor audible = (k * f0.unsqueeze(1)).lt(c.sampleRateHz / 2.0).to(latent.dtype());
    dist = dist * audible;
    dist = dist / (dist.sum(1, true) + 1e-7);
    return SynthControls{f0, amp * dist, noise};
}

}  // namespace latent::ddsp
