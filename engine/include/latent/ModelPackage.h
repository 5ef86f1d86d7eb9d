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

// Another package this one is built from (model.json "requires"): a
// text-to-image prior requires an image tokenizer and a text tokenizer.
struct ModelRequirement {
    std::string id;       // the package id
    std::string role;     // what it is to this package, e.g. "image-tokenizer"
    std::string version;  // the least compatible version (same major), e.g. "1.2"
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
    std::vector<ModelRequirement> requirements;  // model.json "requires"
    nlohmann::json config = nlohmann::json::object();      // architecture hyper-parameters
    nlohmann::json defaults = nlohmann::json::object();    // default parameter values
    nlohmann::json latent = nlohmann::json::object();      // dimension, named directions
    std::string license;
    nlohmann::json provenance = nlohmann::json::object();  // data set, recipe, commit

    std::filesystem::path filePath(const ModelFile& f) const { return dir / f.path; }
    // The first listed file: its hash identifies the model in provenance.
    const ModelFile* primaryFile() const { return files.empty() ? nullptr : &files.front(); }
    const ModelRequirement* requirement(const std::string& role) const {
        for (const auto& r : requirements)
            if (r.role == role) return &r;
        return nullptr;
    }
};

// A package id is also its folder name: letters, digits, '-', '_' and '.',
// not starting with '.', at most 128 characters (so never a path).
bool validPackageId(const std::string& id);

// Whether version `have` satisfies a requirement of `want`: the same major
// and no older ("1.4.0" satisfies "1.2"; "2.0" does not). Versions that are
// not dot-separated numbers must match exactly.
bool versionCompatible(const std::string& have, const std::string& want);

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
