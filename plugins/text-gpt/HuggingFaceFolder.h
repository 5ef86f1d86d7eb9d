#pragma once
// Recognises a Hugging Face text model folder (config.json with a GPT-2 or
// Llama model_type, safetensors weights, tokenizer files) for import.
#include <filesystem>
#include <optional>

#include "latent/ModelPackage.h"

namespace latent::gpt {

// nullopt when `dir` has no config.json naming a model_type; throws
// Error(ModelPackage/Format) for one this family cannot run, naming why.
std::optional<ModelPackage> describeHuggingFaceFolder(const std::filesystem::path& dir);

}  // namespace latent::gpt
