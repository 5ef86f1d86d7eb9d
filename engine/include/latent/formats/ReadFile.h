#pragma once
// Reading a whole small file from outside, bounded: folders, FIFOs and
// devices are refused before any read (a FIFO would block forever), and a
// file over `maxBytes` before any allocation.
#include <cstddef>
#include <filesystem>
#include <string>

#include "latent/Error.h"

namespace latent {

// Throws Error(kind) naming the file and the problem.
std::string readFileBounded(const std::filesystem::path& file, ErrorKind kind, std::size_t maxBytes);

// "12 MiB", "3 KiB", "17 bytes".
std::string byteSizeText(std::size_t bytes);

}  // namespace latent
