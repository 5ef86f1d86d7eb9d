#include "AudioClassifier.h"

#include <ATen/CPUGeneratorImpl.h>

#include "latent/Error.h"

namespace latent::ddsp {
namespace {
namespace nn = torch::nn;
constexpr int kEmbedding = 64;

// sqrt of a symmetric positive semi-definite matrix, by eigendecomposition.
at::Tensor sqrtPsd(const at::Tensor& m) {
    const auto [values, vectors] = at::linalg_eigh(m);
    return at::matmul(vectors * values.clamp_min(0).sqrt().unsqueeze(0), vectors.t());
}

}  // namespace

AudioClassifierImpl::AudioClassifierImpl(int melBands, int classes) {
    m_features = register_module(
        "features", nn::Sequential(nn::Conv1d(nn::Conv1dOptions(melBands, 128, 5).padding(2)), nn::ReLU(),
                                   nn::MaxPool1d(2), nn::Conv1d(nn::Conv1dOptions(128, 128, 5).padding(2)), nn::ReLU(),
                                   nn::MaxPool1d(2), nn::Conv1d(nn::Conv1dOptions(128, 128, 3).padding(1)), nn::ReLU()));
    m_embed = register_module("embed", nn::Linear(256, kEmbedding));
    m_out = register_module("out", nn::Linear(kEmbedding, classes));
}

at::Tensor AudioClassifierImpl::embed(const at::Tensor& logmel) {
    const at::Tensor h = m_features->forward(logmel);
    return at::relu(m_embed(at::cat({h.mean(2), std::get<0>(h.max(2))}, 1)));
}

at::Tensor AudioClassifierImpl::forward(const at::Tensor& logmel) { return m_out(embed(logmel)); }

AudioClassifier trainClassifier(const at::Tensor& audio, const at::Tensor& labels, int classes, const LogMel& mel,
                                int steps, std::uint64_t seed, const std::function<bool()>& stop) {
    torch::AutoGradMode grad(true);  // callers evaluate under NoGradGuard
    torch::manual_seed(seed);
    AudioClassifier net(int(mel(audio.narrow(0, 0, 1)).size(1)), classes);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const std::int64_t n = audio.size(0), batch = std::min<std::int64_t>(64, n);
    for (int step = 0; step < steps; ++step) {
        if (stop()) throw Error(ErrorKind::Cancelled, "stopped");
        const at::Tensor idx = at::randint(n, {batch}, gen, at::kLong);
        // Random gain: the judge must not learn loudness for class.
        const at::Tensor gain = at::exp(at::rand({batch, 1}, gen, at::kFloat) * 2.3 - 1.6);
        const at::Tensor loss =
            torch::nn::functional::cross_entropy(net->forward(mel(audio.index_select(0, idx) * gain)),
                                                 labels.index_select(0, idx));
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    net->eval();
    return net;
}

double frechetDistance(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor x = a.to(at::kDouble), y = b.to(at::kDouble);
    const at::Tensor mx = x.mean(0), my = y.mean(0);
    const at::Tensor cx = at::cov(x.t()), cy = at::cov(y.t());
    const at::Tensor sx = sqrtPsd(cx);
    const at::Tensor cross = sqrtPsd(at::matmul(at::matmul(sx, cy), sx));
    return ((mx - my).pow(2).sum() + at::trace(cx) + at::trace(cy) - 2 * at::trace(cross)).item<double>();
}

}  // namespace latent::ddsp
