#pragma once
// Recognises a Hugging Face text model folder (config.json with a GPT-2 or
// Llama model_type, safetensors weights, tokenizer files) for import.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "latent/ModelPackage.h"

namespace latent::gpt {

// nullopt when `dir` has no config.json naming a model_type; throws
// Error(ModelPackage/Format) for one this family cannot run, naming why.
std::optional<ModelPackage> describeHuggingFaceFolder(const std::filesystem::path& dir);

// The weight files a loader of this folder reads: those the sharding index
// names, else model.safetensors, else the folder's only *.safetensors. Other
// safetensors files (adapters, copies) are never picked up. Throws
// Error(ModelPackage) when there are none or the choice is ambiguous.
std::vector<std::string> huggingFaceWeightFiles(const std::filesystem::path& dir);

}  // namespace latent::gpt
