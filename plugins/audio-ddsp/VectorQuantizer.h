#pragma once
// A vector-quantised bottleneck (VQ-VAE, van den Oord et al. 2017) with
// exponential-moving-average codebook updates and dead-code restarts
// (codes unused for a while are moved onto encoder outputs), and the
// codebook usage and perplexity the model card reports.
#include <torch/torch.h>

namespace latent::ddsp {

struct QuantizeResult {
    at::Tensor quantized;   // [B, D, T], straight-through gradients to the input
    at::Tensor codes;       // int64 [B, T]
    at::Tensor commitment;  // scalar loss ||z - sg(q)||^2
};

class VectorQuantizerImpl : public torch::nn::Module {
public:
    VectorQuantizerImpl(int codes, int dim);

    // z [B, D, T]. In training mode the codebook moves towards its assignments.
    QuantizeResult forward(const at::Tensor& z);
    at::Tensor lookup(const at::Tensor& codes) const;  // int64 [B, T] -> [B, D, T]
    double perplexity() const { return m_perplexity; }
    double usage() const { return m_usage; }  // fraction of codes used in the last batch

    at::Tensor codebook;     // [K, D]
    at::Tensor clusterSize;  // [K] EMA of assignment counts
    at::Tensor embedSum;     // [K, D] EMA of assigned vectors
    at::Tensor unusedSteps;  // [K] steps since a code was last used

private:
    int m_codes, m_dim;
    double m_perplexity = 0, m_usage = 0;
};
TORCH_MODULE(VectorQuantizer);

}  // namespace latent::ddsp
