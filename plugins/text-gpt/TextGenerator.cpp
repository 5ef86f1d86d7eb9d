#include "TextGenerator.h"

#include <torch/torch.h>

#include "TransformerForward.h"
#include "latent/Error.h"

namespace latent::gpt {
namespace {

at::TensorOptions cacheOptions(const GptModel& m) {
    return at::TensorOptions().dtype(m.dtype).device(torch::Device(m.device));
}

}  // namespace

TextGenerator::TextGenerator(std::shared_ptr<const GptModel> model, std::int64_t capacity)
    : m_model(std::move(model)),
      m_cache(m_model->config, std::min(capacity, m_model->config.maxPositions), 1, cacheOptions(*m_model)) {
    if (m_model->cpuDecoder) m_workspace = m_model->cpuDecoder->makeWorkspace(m_cache.capacity());
}

void TextGenerator::prefill(const std::vector<std::int32_t>& tokens) { append(tokens, nullptr); }

void TextGenerator::prefillScored(const std::vector<std::int32_t>& tokens, std::vector<float>& allLogits) {
    append(tokens, &allLogits);
}

void TextGenerator::append(const std::vector<std::int32_t>& tokens, std::vector<float>* allLogits) {
    if (tokens.empty()) return;
    const auto start = std::int64_t(m_context.size());
    if (start + std::int64_t(tokens.size()) > m_cache.capacity())
        throw Error(ErrorKind::Runtime, "the context holds " + std::to_string(m_cache.capacity()) + " tokens; " +
                                            std::to_string(start + tokens.size()) + " do not fit");
    for (auto t : tokens)
        if (t < 0 || t >= m_model->config.vocabSize)
            throw Error(ErrorKind::BadArgument, "token id " + std::to_string(t) + " is outside the vocabulary");
    std::vector<std::int64_t> ids(tokens.begin(), tokens.end());
    const at::Tensor input =
        torch::from_blob(ids.data(), {1, std::int64_t(ids.size())}, torch::kLong).to(torch::Device(m_model->device));
    // Only scoring needs every position's logits; the output layer over a
    // long prompt would otherwise cost more than the rest of the pass.
    const at::Tensor logits = transformerForward(m_model->weights, m_model->config, input, start, &m_cache,
                                                 allLogits == nullptr, m_model->q8.get())
                                  .reshape({-1, m_model->config.vocabSize})
                                  .cpu()
                                  .contiguous();
    const std::int64_t V = m_model->config.vocabSize;
    if (allLogits) allLogits->assign(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
    const float* last = logits.data_ptr<float>() + (logits.size(0) - 1) * V;
    m_logits.assign(last, last + V);
    m_context.insert(m_context.end(), tokens.begin(), tokens.end());
}

void TextGenerator::step(std::int32_t token) {
    const auto pos = std::int64_t(m_context.size());
    if (pos >= m_cache.capacity())
        throw Error(ErrorKind::Runtime, "the context (" + std::to_string(m_cache.capacity()) + " tokens) is full");
    if (m_model->cpuDecoder) {
        m_logits.resize(std::size_t(m_model->config.vocabSize));
        m_model->cpuDecoder->step(token, pos, m_cache, m_workspace, m_logits.data());
        m_context.push_back(token);
        return;
    }
    prefill({token});
}

}  // namespace latent::gpt
