#include "GptEvaluation.h"

#include <cmath>

#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include "GptTrainingData.h"
#include "TransformerForward.h"
#include "TransformerWeights.h"

namespace latent::gpt::detail {

EvalResult evaluate(const std::map<std::string, at::Tensor>& params, const TransformerConfig& c,
                    const text::Tokenizer& tok, const std::vector<std::int32_t>& ids, std::int64_t context,
                    std::int64_t maxWindows, const c10::Device& device) {
    c10::InferenceMode inference;
    std::map<std::string, at::Tensor> detached;
    for (const auto& [n, t] : params) detached[n] = t.detach();
    const TransformerWeights w = TransformerWeights::fromHuggingFace(detached, c, "training");
    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0; s + context + 1 <= std::int64_t(ids.size()) && std::int64_t(starts.size()) < maxWindows;
         s += context)
        starts.push_back(s);
    EvalResult r;
    double nats = 0;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < starts.size(); i += 16) {
        const std::vector<std::int64_t> chunk(starts.begin() + std::ptrdiff_t(i),
                                              starts.begin() + std::ptrdiff_t(std::min(i + 16, starts.size())));
        const at::Tensor b = batchFrom(ids, chunk, context).to(device);
        const at::Tensor logits = transformerForward(w, c, b.narrow(1, 0, context), 0, nullptr);
        const at::Tensor targets = b.narrow(1, 1, context);
        nats += torch::nn::functional::cross_entropy(logits.reshape({-1, c.vocabSize}), targets.reshape({-1}),
                                                     torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
        r.tokens += targets.numel();
        for (auto s : chunk)
            for (std::int64_t t = 1; t <= context; ++t) {
                const auto id = ids[std::size_t(s + t)];
                // A document separator stands for one byte (like a newline),
                // not for the letters of its name.
                bytes += tok.isSpecial(id) ? 1 : tok.tokenBytes(id).size();
            }
    }
    if (r.tokens > 0) r.lossNats = nats / double(r.tokens);
    if (bytes > 0) r.bitsPerByte = nats / std::log(2.0) / double(bytes);
    return r;
}

}  // namespace latent::gpt::detail
