#pragma once
// Creating model package folders the way every importer must: a free id, and
// a folder that appears whole or not at all.
#include <filesystem>
#include <functional>
#include <string>

#include "latent/ModelPackage.h"

namespace latent {

// `base`, else base-2, base-3, … whichever is free in `destRoot`. With
// `mustBeBase` (the user chose the id) an existing one is Error(BadArgument).
std::string freePackageId(const std::filesystem::path& destRoot, const std::string& base, bool mustBeBase);

// Builds destRoot/<package.id> under a temporary name: `fill(tmp)` writes the
// files and lists them in package.files, then model.json is written and the
// folder renamed into place. On any failure the temporary folder is removed
// (filesystem errors become Error(Io)). Sets package.dir to the final folder.
void writePackageFolder(ModelPackage& package, const std::filesystem::path& destRoot,
                        const std::function<void(const std::filesystem::path& tmp)>& fill);

// The folder a trainer writes its package to, from the user's `out` value:
// absolute and normalised, without a trailing slash. Empty is
// Error(BadArgument).
std::filesystem::path packageOutputFolder(const std::string& out);

// Moves the finished folder `tmp` to `dest`, replacing an older package
// there whole (it is set aside first, so a failed move loses neither).
void replacePackageFolder(const std::filesystem::path& tmp, const std::filesystem::path& dest);

}  // namespace latent
