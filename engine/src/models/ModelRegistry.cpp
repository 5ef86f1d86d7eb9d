#include "latent/ModelRegistry.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <spdlog/spdlog.h>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"
#include "latent/formats/Sha256.h"

namespace fs = std::filesystem;

namespace latent {
namespace {

std::int64_t mtimeNs(const fs::path& p) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(fs::last_write_time(p).time_since_epoch())
        .count();
}

ModelEntry loadEntry(const fs::path& manifest, const fs::path& root) {
    ModelEntry e;
    e.manifest = manifest;
    e.root = root;
    // Whatever is wrong with one package disables that package only.
    try {
        // Qt, JSON and provenance carry paths as UTF-8: one that is not
        // would turn into another path on its way back.
        if (!isValidUtf8(manifest.string()))
            throw Error(ErrorKind::ModelPackage, dumpJson(nlohmann::json(manifest.parent_path().string())) +
                                                     ": the folder's name is not valid UTF-8; rename it");
        e.package = readModelManifest(manifest);
        e.valid = true;
    } catch (const std::exception& err) {
        e.error = err.what();
        e.package.dir = manifest.parent_path();
        e.package.id = manifest.parent_path().filename().string();
        e.package.name = e.package.id;
        spdlog::warn("model package skipped: {}", e.error);
    }
    return e;
}

// The checksum cache is only a cache: a damaged file, or an entry of the wrong
// shape, is ignored (and rewritten on the next verification), never an error.
std::map<std::string, HashCacheEntry> readHashCache(const fs::path& file) {
    std::map<std::string, HashCacheEntry> out;
    if (file.empty()) return out;
    try {
        const auto doc = readJsonFileIfPresent(file, ErrorKind::Format);
        if (!doc) return out;
        if (!doc->is_object()) throw Error(ErrorKind::Format, file.string() + ": not a JSON object");
        for (const auto& [key, value] : doc->items()) {
            const JsonReader r(value, file.string(), ErrorKind::Format, key);
            try {
                const auto mtime = r.integer("mtime_ns", INT64_MIN, INT64_MAX);
                const std::string sha = r.string("sha256");
                out[key] = {r.unsignedInteger("bytes"), mtime, sha};
            } catch (const Error&) {
                // one bad entry: that file is hashed again
            }
        }
    } catch (const Error& e) {
        spdlog::warn("checksum cache ignored, files will be hashed again: {}", e.what());
    }
    return out;
}

void writeHashCache(const fs::path& file, const std::map<std::string, HashCacheEntry>& cache) {
    if (file.empty()) return;
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, c] : cache) j[key] = {{"bytes", c.bytes}, {"mtime_ns", c.mtimeNs}, {"sha256", c.sha256}};
    try {
        writeFileAtomic(file, dumpJson(j), {.createParents = true});  // the data dir may be new
    } catch (const Error& e) {
        spdlog::warn("checksum cache not saved: {}", e.what());
    }
}

// A package in a requirement loop, or whose requirement is missing, invalid
// or of an incompatible version, is disabled with a reason naming both
// packages; then whatever required it, in turn, until nothing changes.
void disableUnmetRequirements(std::vector<ModelEntry>& entries) {
    std::map<std::string, const ModelEntry*> byId;
    for (const auto& e : entries)
        if (!byId.count(e.package.id) && e.valid) byId[e.package.id] = &e;
    const auto problem = [&](const ModelEntry& e) -> std::string {
        for (const auto& r : e.package.requirements) {
            const std::string who = "model '" + e.package.id + "' requires '" + r.id + "' (" + r.role + ")";
            const auto found = std::find_if(entries.begin(), entries.end(),
                                            [&](const ModelEntry& o) { return o.package.id == r.id; });
            if (found == entries.end()) return who + ", which is not installed";
            if (!found->valid) return who + ", which is invalid: " + found->error;
            if (!versionCompatible(found->package.version, r.version))
                return who + " version " + r.version + " or a compatible later one, but version " +
                       found->package.version + " is installed";
        }
        return {};
    };
    // A loop (a requires b requires a) first: follow each chain.
    for (auto& e : entries) {
        if (!e.valid) continue;
        std::vector<std::string> chain{e.package.id};
        std::vector<const ModelEntry*> todo{&e};
        bool cycle = false;
        while (!todo.empty() && !cycle) {
            const ModelEntry* cur = todo.back();
            todo.pop_back();
            for (const auto& r : cur->package.requirements) {
                if (r.id == e.package.id) cycle = true;
                const auto it = byId.find(r.id);
                if (it != byId.end() && std::find(chain.begin(), chain.end(), r.id) == chain.end()) {
                    chain.push_back(r.id);
                    todo.push_back(it->second);
                }
            }
        }
        if (cycle) {
            e.valid = false;
            e.error = "model '" + e.package.id + "' requires itself through its requirements; remove the loop";
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& e : entries) {
            if (!e.valid) continue;
            if (const std::string why = problem(e); !why.empty()) {
                e.valid = false;
                e.error = why;
                changed = true;
            }
        }
    }
}

}  // namespace

ModelRegistry::ModelRegistry(std::vector<fs::path> roots, fs::path hashCacheFile)
    : m_roots(std::move(roots)), m_hashCacheFile(std::move(hashCacheFile)) {
    rescan();
}

void ModelRegistry::addRoot(const fs::path& root) {
    {
        std::lock_guard lock(m_mutex);
        if (std::find(m_roots.begin(), m_roots.end(), root) == m_roots.end()) m_roots.push_back(root);
    }
    rescan();
}

bool ModelRegistry::removeRoot(const fs::path& root) {
    {
        std::lock_guard lock(m_mutex);
        const auto before = m_roots.size();
        std::erase(m_roots, root);
        if (m_roots.size() == before) return false;
    }
    rescan();
    return true;
}

std::vector<fs::path> ModelRegistry::roots() const {
    std::lock_guard lock(m_mutex);
    return m_roots;
}

void ModelRegistry::rescan() {
    const auto rootList = roots();
    std::vector<ModelEntry> found;
    for (const auto& root : rootList) {
        std::error_code ec;
        if (!fs::is_directory(root, ec)) continue;
        if (fs::exists(root / "model.json", ec)) {
            found.push_back(loadEntry(root / "model.json", root));
            continue;
        }
        std::vector<fs::path> dirs;
        for (const auto& item : fs::directory_iterator(root, fs::directory_options::skip_permission_denied, ec))
            if (item.is_directory(ec) && fs::exists(item.path() / "model.json", ec)) dirs.push_back(item.path());
        std::sort(dirs.begin(), dirs.end());
        for (const auto& d : dirs) found.push_back(loadEntry(d / "model.json", root));
    }
    // The first root that holds an id wins: bundled models cannot be shadowed
    // by accident, and the duplicate says where the original lives.
    std::map<std::string, fs::path> seen;
    for (auto& e : found) {
        if (!e.valid) continue;
        auto [it, inserted] = seen.emplace(e.package.id, e.manifest);
        if (!inserted) {
            e.valid = false;
            e.error = e.manifest.string() + ": model id '" + e.package.id + "' is already provided by " +
                      it->second.string();
        }
    }
    disableUnmetRequirements(found);
    std::lock_guard lock(m_mutex);
    m_entries = std::move(found);
}

std::vector<ModelEntry> ModelRegistry::entries() const {
    std::lock_guard lock(m_mutex);
    return m_entries;
}

std::optional<ModelPackage> ModelRegistry::find(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    for (const auto& e : m_entries)
        if (e.valid && e.package.id == id) return e.package;
    return std::nullopt;
}

ModelPackage ModelRegistry::require(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    std::string known;
    for (const auto& e : m_entries) {
        if (e.package.id != id) {
            if (e.valid) known += (known.empty() ? "" : ", ") + e.package.id;
            continue;
        }
        if (e.valid) return e.package;
        throw Error(ErrorKind::ModelPackage, "model '" + id + "' is invalid: " + e.error);
    }
    throw Error(ErrorKind::ModelPackage,
                "unknown model id '" + id + "' (available: " + (known.empty() ? "none" : known) + ")");
}

void ModelRegistry::verify(const ModelPackage& package) {
    for (const auto& file : package.files) {
        const fs::path path = package.filePath(file);
        std::error_code ec;
        if (!fs::is_regular_file(path, ec))
            throw Error(ErrorKind::ModelPackage, "model '" + package.id + "': weight file '" + file.path +
                                                     "' is missing (expected at " + path.string() + ")");
        const auto size = fs::file_size(path, ec);
        if (ec || size != file.bytes)
            throw Error(ErrorKind::ModelPackage,
                        "model '" + package.id + "': '" + file.path + "' is " + std::to_string(size) +
                            " bytes but model.json says " + std::to_string(file.bytes) +
                            " (truncated or replaced?)");
        const std::string key = fs::absolute(path).lexically_normal().string();
        const std::int64_t mtime = mtimeNs(path);
        std::string sha;
        {
            std::lock_guard lock(m_mutex);
            if (!m_hashCacheLoaded) {
                m_hashCacheLoaded = true;
                m_hashCache = readHashCache(m_hashCacheFile);
            }
            if (const auto it = m_hashCache.find(key); it != m_hashCache.end()) {
                const auto& c = it->second;
                if (c.bytes == size && c.mtimeNs == mtime) sha = c.sha256;
            }
        }
        if (sha.empty()) {
            // Hash outside the lock: a big file must not stall the GUI's listings.
            sha = Sha256::fileHex(path);
            std::lock_guard lock(m_mutex);
            m_hashCache[key] = {size, mtime, sha};
            writeHashCache(m_hashCacheFile, m_hashCache);
        }
        if (sha != file.sha256)
            throw Error(ErrorKind::ModelPackage, "model '" + package.id + "': sha256 of '" + file.path +
                                                     "' does not match model.json (file corrupt or changed; "
                                                     "expected " + file.sha256 + ", found " + sha + ")");
    }
}

}  // namespace latent
