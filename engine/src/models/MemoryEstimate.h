#pragma once
// What loading a package will cost, known before any of it is loaded, so a
// model too large for the budget or the free memory is refused with a
// message instead of driving the machine into swap or the OOM killer.
#include <cstddef>
#include <optional>

#include "latent/ModelPackage.h"

namespace latent {

// Bytes the package needs once loaded, from its files alone: a safetensors
// file counts its values at 4 bytes (weights pass through float32 while they
// load, whatever the file's dtype), any other file its size. Reads headers
// only. Throws Error(Format) for a safetensors file that does not parse.
std::size_t estimateLoadedBytes(const ModelPackage& package);

// The kernel's estimate of memory available without swapping
// (/proc/meminfo MemAvailable), or nullopt where it cannot be read.
std::optional<std::size_t> availableMemoryBytes();

// "1.3 GB", "640 MB": sizes in messages.
std::string memoryText(std::size_t bytes);

}  // namespace latent
