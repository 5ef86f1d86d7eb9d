#pragma once
// The training set in tokens: the byte-level BPE tokenizer learned from the
// training text, the token streams of the training and held-out documents,
// and the batches cut from them.
#include <cstdint>
#include <filesystem>
#include <vector>

#include <ATen/ATen.h>

#include "GptTrainingSettings.h"
#include "TextCorpus.h"
#include "latent/JobContext.h"
#include "latent/text/BpeTokenizer.h"

namespace latent::gpt::detail {

// Learns the tokenizer into `folder` (vocab.json, merges.txt) when `learn`,
// then reads it from there: a resumed run keeps the tokenizer its
// checkpoint was trained with.
text::BpeTokenizer prepareTokenizer(JobContext& ctx, const TrainingSettings& s, const TextCorpus& corpus,
                                    const std::filesystem::path& folder, bool learn);

// Each document's tokens followed by EOS, all documents in one stream.
struct TokenStreams {
    std::vector<std::int32_t> train;
    std::vector<std::int32_t> validation;
};

// Throws Error(BadArgument) when either stream cannot fill one window of
// `context` + 1 tokens.
TokenStreams encodeCorpus(JobContext& ctx, const text::Tokenizer& tok, const TextCorpus& corpus, std::int64_t context);

// Windows of context+1 tokens: inputs are the first `context`, targets the last.
at::Tensor batchFrom(const std::vector<std::int32_t>& ids, const std::vector<std::int64_t>& starts, std::int64_t context);

}  // namespace latent::gpt::detail
