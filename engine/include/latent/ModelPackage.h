#pragma once
// A model package: a folder with model.json and weight files (DESIGN §3).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace latent {

struct ModelFile {
    std::string path;  // relative to the package folder
    std::uint64_t bytes = 0;
    std::string sha256;  // lower-case hex
};

struct ModelPackage {
    std::filesystem::path dir;  // the folder holding model.json
    std::string id;
    std::string name;
    std::string family;   // == the plugin id that runs it
    std::string version;
    std::string description;
    std::vector<std::string> tasks;
    std::vector<ModelFile> files;
    nlohmann::json config = nlohmann::json::object();      // architecture hyper-parameters
    nlohmann::json defaults = nlohmann::json::object();    // default parameter values
    nlohmann::json latent = nlohmann::json::object();      // dimension, named directions
    std::string license;
    nlohmann::json provenance = nlohmann::json::object();  // data set, recipe, commit

    std::filesystem::path filePath(const ModelFile& f) const { return dir / f.path; }
    // The first listed file: its hash identifies the model in provenance.
    const ModelFile* primaryFile() const { return files.empty() ? nullptr : &files.front(); }
};

// A package id is also its folder name: letters, digits, '-', '_' and '.',
// not starting with '.', at most 128 characters (so never a path).
bool validPackageId(const std::string& id);

// "My Model 2" -> "my-model-2": a package id from a display name
// (`fallback` when nothing is left).
std::string packageIdFromName(const std::string& name, const std::string& fallback);

// Parses and validates model.json; throws Error(ModelPackage) naming the
// file and the offending field.
ModelPackage readModelManifest(const std::filesystem::path& manifestFile);
// Writes model.json atomically.
void writeModelManifest(const ModelPackage& package, const std::filesystem::path& manifestFile);
nlohmann::json modelManifestToJson(const ModelPackage& package);

}  // namespace latent
