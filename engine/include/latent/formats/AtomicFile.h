#pragma once
// Atomic writes of user data: write a temporary file beside the target, flush
// it to disk, then rename over the target. A crash leaves the old file intact.
#include <filesystem>
#include <string_view>

namespace latent {

// Throws Error(Io) naming the path on failure; the temporary file is removed.
void writeFileAtomic(const std::filesystem::path& path, std::string_view bytes);

}  // namespace latent
