#pragma once
// Torch helpers for plugin authors: safetensors <-> tensors. Only plugins
// include this header (it exposes torch types).
#include <filesystem>
#include <map>
#include <string>

#include <ATen/core/Tensor.h>

#include "latent/formats/Safetensors.h"

namespace latent {

// Copies every tensor of the file into an owned tensor of the same dtype and
// shape (F16/BF16 stay half precision), then moves it to `device` ("cpu",
// "cuda:0", ...). The result outlives the file. Throws Error(Device) for a
// device string torch does not accept or cannot use.
std::map<std::string, at::Tensor> loadSafetensorsTensors(const SafetensorsFile& file,
                                                         const std::string& device = "cpu");

// Writes the tensors (contiguous CPU copies, in name order) atomically with
// writeSafetensors. Throws Error(BadArgument) naming a tensor whose dtype has
// no safetensors counterpart here (supported: F32 F16 BF16 I32 I64 U8).
void saveSafetensorsTensors(const std::filesystem::path& path,
                            const std::map<std::string, at::Tensor>& tensors,
                            const std::map<std::string, std::string>& metadata = {});

}  // namespace latent
