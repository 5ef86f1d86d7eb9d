#pragma once
// Creating model package folders the way every importer and trainer must: a
// valid, free id; a folder that appears whole or not at all; and never
// removing or replacing a folder the studio did not make (docs/decisions.md,
// "Writes of user data").
#include <filesystem>
#include <functional>
#include <string>

#include "latent/ModelPackage.h"

namespace latent {

// `base`, else base-2, base-3, … whichever is free in `destRoot`. With
// `mustBeBase` (the user chose the id) an existing one is Error(BadArgument).
// An id that is not validPackageId() (e.g. "../x") is Error(BadArgument).
std::string freePackageId(const std::filesystem::path& destRoot, const std::string& base, bool mustBeBase);

// Builds destRoot/<package.id> under a temporary name: `fill(tmp)` writes the
// files and lists them in package.files, then model.json is written and the
// folder renamed into place. On any failure the temporary folder is removed
// (filesystem errors become Error(Io)). Sets package.dir to the final folder.
// A missing destRoot is created only with `createRoot` (the studio's own
// model folder), never for a folder the user named.
void writePackageFolder(ModelPackage& package, const std::filesystem::path& destRoot,
                        const std::function<void(const std::filesystem::path& tmp)>& fill, bool createRoot = false);

// The folder a trainer of `family` writes its package to, from the user's
// `out` value: absolute and normalised. Error(BadArgument) when `out` is
// empty, its parent folder does not exist, or it exists and is not a package
// of `family` that Latent Studio trained (model.json with that family and a
// "latent-studio train" recipe): a trainer replaces its own packages only.
std::filesystem::path packageOutputFolder(const std::string& out, const std::string& family);

// The folder beside a trained package that holds its run's resumable state,
// "<out>.training": created with a marker file when missing. An existing one
// must carry the marker (or an older run's state.json), else
// Error(BadArgument): the trainer writes and deletes files there.
std::filesystem::path trainingRunFolder(const std::filesystem::path& out);

// A new, uniquely named folder beside `dest` (".building-<name>-<random>"),
// created here, for assembling what will replace `dest`.
std::filesystem::path makeStagingFolder(const std::filesystem::path& dest);

// Moves the finished folder `tmp` to `dest`, replacing an older package of
// `family` there whole (it is set aside under a unique name first, so a failed
// move loses neither). Re-checks `dest` as packageOutputFolder does.
void replacePackageFolder(const std::filesystem::path& tmp, const std::filesystem::path& dest,
                          const std::string& family);

}  // namespace latent
