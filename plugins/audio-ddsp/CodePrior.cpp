#include "CodePrior.h"

namespace latent::ddsp {
namespace {
namespace nn = torch::nn;
constexpr int kVelocityBuckets = 8;
}  // namespace

CodePriorImpl::CodePriorImpl(const DdspConfig& c) : m_config(c) {
    const int w = c.priorWidth;
    m_code = register_module("code", nn::Embedding(c.codebookSize, w));
    m_position = register_module("position", nn::Embedding(c.codes(), w));
    // Not "class": TorchScript serialisation (torch::save, checkpoints) cannot name a module after a Python keyword.
    m_class = register_module("class_embed", nn::Embedding(c.numClasses(), w));
    m_pitch = register_module("pitch", nn::Embedding(129, w));  // 128 = unpitched
    m_velocity = register_module("velocity", nn::Embedding(kVelocityBuckets, w));
    m_body = register_module(
        "body", nn::TransformerEncoder(nn::TransformerEncoderOptions(
                                           nn::TransformerEncoderLayerOptions(w, c.priorHeads).dim_feedforward(4 * w).dropout(0.1),
                                           c.priorLayers)));
    m_norm = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({w})));
    m_head = register_module("head", nn::Linear(w, c.codebookSize));
}

at::Tensor CodePriorImpl::condition(const at::Tensor& classes, const at::Tensor& pitch, const at::Tensor& velocity) {
    const at::Tensor p = at::where(pitch.lt(0), at::full_like(pitch, 128), pitch.clamp(0, 127));
    // Integer buckets 0..7: `/` on int64 tensors is true division (float indices).
    const at::Tensor v = at::div((velocity.clamp(1, 127) - 1) * kVelocityBuckets, 127, "floor");
    return m_class(classes) + m_pitch(p) + m_velocity(v);  // [B, W]
}

at::Tensor CodePriorImpl::forward(const at::Tensor& codes, const at::Tensor& classes, const at::Tensor& pitch,
                                  const at::Tensor& velocity) {
    const auto b = codes.size(0), t = codes.size(1);
    // Position 0 sees only the condition; position i also codes 0..i-1.
    const at::Tensor start = condition(classes, pitch, velocity).unsqueeze(1);  // [B, 1, W]
    at::Tensor x = t > 1 ? at::cat({start, m_code(codes.narrow(1, 0, t - 1))}, 1) : start;
    x = x + m_position(at::arange(t, codes.options())).unsqueeze(0);
    const at::Tensor mask = at::triu(at::full({t, t}, -INFINITY, x.options()), 1);
    const at::Tensor h = m_body(x.transpose(0, 1), mask).transpose(0, 1);  // [B, T, W]
    (void)b;
    return m_head(m_norm(h));
}

at::Tensor CodePriorImpl::sample(const at::Tensor& classes, const at::Tensor& pitch, const at::Tensor& velocity,
                                 double temperature, int topK, at::Generator& gen) {
    const auto b = classes.size(0);
    const int t = m_config.codes();
    at::Tensor codes = at::zeros({b, t}, classes.options());
    for (int i = 0; i < t; ++i) {
        at::Tensor logits = forward(codes.narrow(1, 0, i + 1), classes, pitch, velocity).select(1, i);
        if (temperature <= 0) {
            codes.select(1, i).copy_(logits.argmax(1));
            continue;
        }
        logits = logits / temperature;
        if (topK > 0 && topK < logits.size(1)) {
            const at::Tensor kth = std::get<0>(logits.topk(topK, 1)).narrow(1, topK - 1, 1);
            logits = logits.masked_fill(logits.lt(kth), -INFINITY);
        }
        const at::Tensor probs = at::softmax(logits, 1).to(at::kCPU);
        codes.select(1, i).copy_(at::multinomial(probs, 1, false, gen).squeeze(1).to(codes.device()));
    }
    return codes;
}

}  // namespace latent::ddsp
