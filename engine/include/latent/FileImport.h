#pragma once
// Wraps one model file a community shares (a RAVE TorchScript export, later
// GGUF) in a model package, asking each plugin whether it can run it
// (ModelFamily::describeFile). Shared by the CLI and the GUI.
#include <filesystem>
#include <optional>
#include <string>

#include "latent/ModelPackage.h"

namespace latent {

class PluginHost;

struct FileImportOptions {
    std::filesystem::path file;
    std::string name;                // display name; default: the family's or the file's stem
    std::string id;                  // default: derived from the name, made unique
    std::filesystem::path destRoot;  // packages land in destRoot/<id>/
    bool createDestRoot = false;     // only for the studio's own model folder
};

// The family that can run `file`, described as a package (nullopt: none can).
// Asks the plugins in order; `asked` lists them for a message. Throws the
// family's Error when the file is its kind but unusable.
std::optional<ModelPackage> describeModelFile(PluginHost& plugins, const std::filesystem::path& file,
                                              std::string* asked = nullptr);

// describeModelFile, then a package folder holding a copy of the file (the
// package must not change when the user's file does), appearing atomically.
// Throws Error(BadArgument) when no plugin runs the file, naming those asked.
ModelPackage importModelFile(PluginHost& plugins, const FileImportOptions& options);

}  // namespace latent
