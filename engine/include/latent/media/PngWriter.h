#pragma once
// PNG encoding without Qt (the CLI and GPU-server builds have none), with
// text chunks for provenance: iTXt (UTF-8) for our JSON, tEXt for the
// A1111-style "parameters" other tools read.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "latent/Chunk.h"
#include "latent/formats/AtomicFile.h"

namespace latent {

struct PngText {
    std::string keyword;  // 1-79 Latin-1 characters
    std::string text;     // UTF-8
    bool international = true;  // iTXt; false: tEXt (Latin-1 readers, e.g. A1111 "parameters")
};

// RGBA8 PNG bytes, deflate-compressed when zlib is available.
std::string encodePng(const ImageFrame& frame, const std::vector<PngText>& texts = {});
// Writes atomically; throws Error(Io) naming the path.
void writePng(const std::filesystem::path& path, const ImageFrame& frame, const std::vector<PngText>& texts = {},
              const AtomicWriteOptions& options = {});

}  // namespace latent
