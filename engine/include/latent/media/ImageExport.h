#pragma once
// Image export with provenance (DESIGN §5): our JSON in an iTXt chunk
// ("latent-studio") plus an A1111-style "parameters" tEXt chunk that other
// tools show. Shared by the CLI and the GUI so both write the same files.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "latent/Chunk.h"
#include "latent/Provenance.h"
#include "latent/media/PngWriter.h"

namespace latent {

inline constexpr const char* kProvenancePngKey = "latent-studio";

std::vector<PngText> provenancePngTexts(const Provenance& provenance, int width, int height);
// A1111-style one-paragraph summary: "<prompt>\nSeed: 1, Size: 64x64, Model: ..."
std::string a1111Parameters(const Provenance& provenance, int width, int height);
// Writes a PNG atomically with both text chunks.
void exportPng(const std::filesystem::path& path, const ImageFrame& frame, const Provenance& provenance,
               const AtomicWriteOptions& options = {});
// Reads our provenance back from a PNG's iTXt chunk; nullopt when absent.
// Throws Error(Format) for a file that is not a PNG.
std::optional<Provenance> readPngProvenance(const std::filesystem::path& path);

}  // namespace latent
