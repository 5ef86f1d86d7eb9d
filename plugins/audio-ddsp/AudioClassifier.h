#pragma once
// The judge of the model card's metrics: a small convolutional classifier on
// log-mel frames, trained here on real clips. Its accuracy on generated
// clips, and the Fréchet distance between its embeddings of generated and of
// real held-out clips (FAD-like), measure the sound models.
#include <torch/torch.h>

#include "LogMel.h"

namespace latent::ddsp {

class AudioClassifierImpl : public torch::nn::Module {
public:
    AudioClassifierImpl(int melBands, int classes);
    at::Tensor embed(const at::Tensor& logmel);   // [B, 64]
    at::Tensor forward(const at::Tensor& logmel);  // logits [B, classes]

private:
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Linear m_embed{nullptr}, m_out{nullptr};
};
TORCH_MODULE(AudioClassifier);

// Trains on audio [N, n] with labels [N]; `stop` is polled every step.
AudioClassifier trainClassifier(const at::Tensor& audio, const at::Tensor& labels, int classes, const LogMel& mel,
                                int steps, std::uint64_t seed, const std::function<bool()>& stop);

// Fréchet distance between Gaussians fitted to two sets of embeddings [N, D].
double frechetDistance(const at::Tensor& a, const at::Tensor& b);

}  // namespace latent::ddsp
