#pragma once
// Held-out scoring during and after training: mean loss per token and bits
// per byte, which (unlike loss) compares models with different tokenizers.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/Device.h>

#include "TransformerConfig.h"
#include "latent/text/Tokenizer.h"

namespace latent::gpt::detail {

struct EvalResult {
    double lossNats = 0;     // per token
    double bitsPerByte = 0;
    std::int64_t tokens = 0;
};

// Mean loss over consecutive windows of the held-out stream (up to
// `maxWindows`), and bits per byte of the tokens predicted.
EvalResult evaluate(const std::map<std::string, at::Tensor>& params, const TransformerConfig& c,
                    const text::Tokenizer& tok, const std::vector<std::int32_t>& ids, std::int64_t context,
                    std::int64_t maxWindows, const c10::Device& device);

}  // namespace latent::gpt::detail
