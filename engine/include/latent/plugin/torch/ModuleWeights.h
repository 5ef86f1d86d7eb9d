#pragma once
// Torch helpers for plugin authors: torch::nn modules <-> named weights.
// Only plugins include this header (it exposes torch types).

#include <filesystem>
#include <map>
#include <string>

#include <torch/nn/module.h>

namespace latent {

// Every parameter and buffer of `module` under its dotted name
// ("enc.0.weight"), the names PyTorch's state_dict() uses for the same tree.
std::map<std::string, at::Tensor> moduleWeights(const torch::nn::Module& module);

// Copies `weights` into the module's parameters and buffers, converting dtype
// and device to the module's own. Every module tensor must be present with the
// same shape and no extra tensor may be left over; otherwise throws
// Error(ModelPackage) naming `source`, the tensor and both shapes.
void loadModuleWeights(torch::nn::Module& module, const std::map<std::string, at::Tensor>& weights,
                       const std::string& source);

// Reads a safetensors file into the module (loadSafetensorsTensors + loadModuleWeights).
void loadModuleWeightsFile(torch::nn::Module& module, const std::filesystem::path& file);

// Writes the module's parameters and buffers to a safetensors file, atomically.
void saveModuleWeightsFile(const torch::nn::Module& module, const std::filesystem::path& file,
                           const std::map<std::string, std::string>& metadata = {});

}  // namespace latent
