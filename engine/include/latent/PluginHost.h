#pragma once
// Finds plugins by their plugin.json (without loading code), loads them with
// ABI and descriptor-size checks and keeps a state and error per plugin.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "latent/TaskInfo.h"

namespace latent {

class ModelFamily;

// Persisted in nothing yet, shown in the UI: start at 1, never renumber.
// discovered (plugin.json read) -> resolved (the plugins it requires exist in
// compatible versions) -> loaded (library mapped) -> ready; or failed.
enum class PluginState { Invalid = 0, Discovered = 1, Loaded = 2, Ready = 3, Failed = 4, Resolved = 5 };
const char* pluginStateName(PluginState state);

// Another plugin this one's code needs (plugin.json "requires"), with the
// least compatible version (Qt Creator's PluginDependency).
struct PluginDependency {
    std::string id;
    std::string version;
};

struct PluginRecord {
    std::string id;
    std::string name;
    std::string version;
    std::string abi;  // "1.0" as plugin.json declares it
    std::vector<std::string> tasks;
    std::vector<std::string> modalities;
    std::vector<PluginDependency> dependencies;  // plugin.json "requires"
    std::filesystem::path dir;
    std::filesystem::path library;
    PluginState state = PluginState::Discovered;
    std::string error;
};

class PluginHost {
public:
    explicit PluginHost(std::vector<std::filesystem::path> searchDirs);
    ~PluginHost();  // destroys families, then unloads libraries
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    std::vector<std::filesystem::path> searchDirs() const;
    // Reads every <dir>/<plugin>/plugin.json; earlier dirs win on duplicate ids.
    // Plugins already loaded stay loaded.
    void discover();
    // Loads every discovered plugin; failures are recorded, never thrown.
    void loadAll();
    std::vector<PluginRecord> plugins() const;

    // The family for `familyId`, loading its plugin on first use. Throws
    // Error(Plugin) with the plugin's error when unknown or failed.
    ModelFamily& family(const std::string& familyId);
    std::vector<TaskInfo> tasks(const std::string& familyId);

private:
    struct Slot;
    void resolveLocked();
    void loadLocked(Slot& slot, int depth = 0);
    mutable std::mutex m_mutex;
    std::vector<std::filesystem::path> m_dirs;
    std::map<std::string, std::unique_ptr<Slot>> m_slots;
};

}  // namespace latent
