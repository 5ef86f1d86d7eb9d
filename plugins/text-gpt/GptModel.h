#pragma once
// One loaded language model: config, weights and tokenizer, immutable once
// loaded so several jobs can share it (their run state is a TextGenerator).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "Q8Weights.h"
#include "TransformerConfig.h"
#include "TransformerWeights.h"
#include "latent/text/Tokenizer.h"

namespace latent::gpt {

class CpuDecoder;

struct GptModel {
    TransformerConfig config;
    TransformerWeights weights;
    std::shared_ptr<const text::Tokenizer> tokenizer;
    bool addBos = false;
    std::string device = "cpu";
    at::ScalarType dtype = at::kFloat;  // of activations and the KV cache
    std::shared_ptr<const Q8Weights> q8;  // "int8": the large matrices, 8-bit (CPU)
    std::vector<std::string> notices;  // shown once after loading (unused tensors, ...)
    std::shared_ptr<const CpuDecoder> cpuDecoder;  // CPU single-token kernels; null elsewhere

    // Reads a Hugging Face-style folder: config.json, *.safetensors (one file
    // or shards), tokenizer files. `dtype`: "auto" = float32 on the CPU,
    // bfloat16 on CUDA; "int8" = 8-bit weights on the CPU. Throws
    // Error(ModelPackage / Format / BadArgument / Device).
    // `weightFiles`: the safetensors files to read (a package's verified
    // files[]); empty picks them as huggingFaceWeightFiles() does.
    static std::shared_ptr<GptModel> loadFolder(const std::filesystem::path& dir, const std::string& device,
                                                const std::string& dtype = "auto",
                                                std::vector<std::string> weightFiles = {});

    std::size_t memoryBytes() const;
    std::string dtypeName() const;
};

}  // namespace latent::gpt
