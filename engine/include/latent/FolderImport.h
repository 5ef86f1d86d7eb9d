#pragma once
// Wraps a model folder in a foreign layout (e.g. a Hugging Face checkpoint:
// config.json, *.safetensors, tokenizer files) in a model package, asking
// each plugin whether it can run it. Shared by the CLI and the GUI.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "latent/ModelPackage.h"

namespace latent {

class PluginHost;

struct FolderImportOptions {
    std::filesystem::path folder;    // the checkpoint folder
    std::string name;                // display name; default: the family's or the folder's
    std::string id;                  // default: derived from the name, made unique
    std::filesystem::path destRoot;  // packages land in destRoot/<id>/
    bool createDestRoot = false;     // only for the studio's own model folder
    // Link the files (instant, no extra disk; the folder must stay) or copy them.
    bool copy = false;
    // Merged into the package's config, e.g. {"dtype": "int8"} for 8-bit
    // weights on the CPU; the family checks it when it loads the package.
    nlohmann::json config = nlohmann::json::object();
};

// The first plugin whose family describes the folder wins. Throws
// Error(BadArgument) when none does (naming the plugins asked) and the
// family's own Error when the folder is its kind but broken. The package
// folder appears atomically.
ModelPackage importModelFolder(PluginHost& plugins, const FolderImportOptions& options);

}  // namespace latent
