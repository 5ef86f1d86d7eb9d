#pragma once
// Atomic writes of user data: write a temporary file beside the target, flush
// it to disk, then rename over the target. A crash leaves the old file intact.
// The write policy (docs/decisions.md): a read-only file, a symlink or a
// folder is never replaced unless asked, and no folder is created unless asked.
#include <filesystem>
#include <string_view>

namespace latent {

struct AtomicWriteOptions {
    // Create missing parent folders: only for folders the studio owns (its
    // data dir, a package folder it is building), never for a user's --out.
    bool createParents = false;
    // Replace a file without write permission.
    bool replaceReadOnly = false;
    // Write to the file a symlink points at (the link stays a link).
    bool followSymlink = false;
};

// Throws Error(BadArgument) when the policy refuses `path` (a folder, a
// read-only file, a symlink, a missing parent folder) and Error(Io) naming the
// path when writing fails; the temporary file is removed.
void writeFileAtomic(const std::filesystem::path& path, std::string_view bytes, const AtomicWriteOptions& options = {});

// The checks writeFileAtomic makes before it writes, so a command can refuse
// its output path before spending minutes on the work. Returns the path that
// will be written (a followed symlink's target).
std::filesystem::path checkWritableTarget(const std::filesystem::path& path, const AtomicWriteOptions& options = {});

}  // namespace latent
