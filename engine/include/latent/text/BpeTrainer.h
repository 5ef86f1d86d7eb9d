#pragma once
// Learns a byte-level BPE vocabulary (GPT-2's scheme) from text, so a model
// we train gets a tokenizer fitted to its own data and saved in GPT-2's file
// format (vocab.json + merges.txt) that any GPT-2 loader reads.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "latent/text/BpeTokenizer.h"

namespace latent::text {

struct BpeTrainerOptions {
    std::int32_t vocabSize = 4096;  // bytes + merges + special tokens
    std::int64_t minFrequency = 2;  // stop merging pairs rarer than this
    std::vector<std::string> specialTokens{"<|endoftext|>"};
};

class BpeTrainer {
public:
    explicit BpeTrainer(BpeTrainerOptions options);
    ~BpeTrainer();

    // Counts the words of `text` (split with GPT-2's pattern).
    void addText(std::string_view text);

    // Runs the merges. `progress(done, total)` is called now and then; when
    // it returns false training stops and throws Error(Cancelled).
    BpeSpec train(const std::function<bool(std::int64_t, std::int64_t)>& progress = {});

private:
    BpeTrainerOptions m_options;
    std::unordered_map<std::string, std::int64_t> m_wordCounts;
};

}  // namespace latent::text
