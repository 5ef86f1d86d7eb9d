#include "VectorQuantizer.h"

namespace latent::ddsp {
namespace {
constexpr double kDecay = 0.99;
constexpr double kEpsilon = 1e-5;
constexpr int kRestartAfter = 200;  // steps unused
}  // namespace

VectorQuantizerImpl::VectorQuantizerImpl(int codes, int dim) : m_codes(codes), m_dim(dim) {
    codebook = register_buffer("codebook", torch::randn({codes, dim}) * 0.1);
    clusterSize = register_buffer("cluster_size", torch::ones({codes}));
    embedSum = register_buffer("embed_sum", codebook.clone());
    unusedSteps = register_buffer("unused_steps", torch::zeros({codes}));
}

QuantizeResult VectorQuantizerImpl::forward(const at::Tensor& z) {
    const auto b = z.size(0), t = z.size(2);
    const at::Tensor flat = z.permute({0, 2, 1}).reshape({-1, m_dim});  // [B*T, D]
    const at::Tensor distances = flat.pow(2).sum(1, true) - 2 * at::matmul(flat, codebook.t()) +
                                 codebook.pow(2).sum(1).unsqueeze(0);
    const at::Tensor index = distances.argmin(1);
    const at::Tensor onehot = at::one_hot(index, m_codes).to(flat.dtype());
    const at::Tensor counts = onehot.sum(0);
    const at::Tensor probs = counts / counts.sum();
    m_perplexity = at::exp(-(probs * at::log(probs + 1e-10)).sum()).item<double>();
    m_usage = counts.gt(0).to(at::kFloat).mean().item<double>();
    if (is_training()) {
        torch::NoGradGuard noGrad;
        const at::Tensor x = flat.detach();
        clusterSize.mul_(kDecay).add_(counts, 1 - kDecay);
        embedSum.mul_(kDecay).add_(at::matmul(onehot.t(), x), 1 - kDecay);
        const double n = clusterSize.sum().item<double>();
        const at::Tensor smoothed = (clusterSize + kEpsilon) / (n + m_codes * kEpsilon) * n;
        codebook.copy_(embedSum / smoothed.unsqueeze(1));
        unusedSteps.add_(1).masked_fill_(counts.gt(0), 0);
        const at::Tensor dead = unusedSteps.ge(kRestartAfter).nonzero().flatten();
        if (dead.numel() > 0) {
            // Restart dead codes on random encoder outputs of this batch.
            const at::Tensor pick = at::randint(x.size(0), {dead.numel()}, at::TensorOptions().dtype(at::kLong));
            const at::Tensor fresh = x.index_select(0, pick.to(x.device()));
            codebook.index_copy_(0, dead, fresh);
            embedSum.index_copy_(0, dead, fresh);
            clusterSize.index_fill_(0, dead, 1.0);
            unusedSteps.index_fill_(0, dead, 0.0);
        }
    }
    const at::Tensor q = codebook.index_select(0, index).view({b, t, m_dim}).permute({0, 2, 1});
    QuantizeResult r;
    r.commitment = (z - q.detach()).pow(2).mean();
    r.quantized = z + (q - z).detach();
    r.codes = index.view({b, t});
    return r;
}

at::Tensor VectorQuantizerImpl::lookup(const at::Tensor& codes) const {
    const auto b = codes.size(0), t = codes.size(1);
    return codebook.index_select(0, codes.flatten()).view({b, t, m_dim}).permute({0, 2, 1});
}

}  // namespace latent::ddsp
