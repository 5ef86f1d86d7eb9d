#pragma once
// Finds model packages under its roots, validates them and verifies weights.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "latent/ModelPackage.h"

namespace latent {

struct ModelEntry {
    std::filesystem::path manifest;  // .../model.json
    std::filesystem::path root;      // which scanned root it came from
    bool valid = false;
    std::string error;               // why it is not valid
    ModelPackage package;            // filled when valid (id/name best-effort otherwise)
};

// A verified file's size, mtime and sha256 (the checksum cache).
struct HashCacheEntry {
    std::uint64_t bytes = 0;
    std::int64_t mtimeNs = 0;
    std::string sha256;
};

class ModelRegistry {
public:
    // `hashCacheFile`: where verified (path, size, mtime) -> sha256 is kept; may be empty.
    ModelRegistry(std::vector<std::filesystem::path> roots, std::filesystem::path hashCacheFile);

    void addRoot(const std::filesystem::path& root);     // rescans
    bool removeRoot(const std::filesystem::path& root);  // rescans; false if it was not a root
    std::vector<std::filesystem::path> roots() const;
    // Each root holds package folders (root/<pkg>/model.json) or is one itself.
    void rescan();

    std::vector<ModelEntry> entries() const;
    std::optional<ModelPackage> find(const std::string& id) const;  // valid ones only
    // Throws Error(ModelPackage) "unknown model id" or the package's own error.
    ModelPackage require(const std::string& id) const;

    // Checks every file's size and sha256 (cached by path+size+mtime, so a
    // package is hashed once until it changes). Throws Error(ModelPackage).
    void verify(const ModelPackage& package);

private:
    mutable std::mutex m_mutex;
    std::vector<std::filesystem::path> m_roots;
    std::filesystem::path m_hashCacheFile;
    std::vector<ModelEntry> m_entries;
    bool m_hashCacheLoaded = false;
    std::map<std::string, HashCacheEntry> m_hashCache;
};

}  // namespace latent
