#include "latent/StudioPaths.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "latent/BuildInfo.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"

namespace fs = std::filesystem;

namespace latent {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::vector<fs::path> splitPathList(const std::string& text) {
    std::vector<fs::path> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ':'))
        if (!item.empty()) out.emplace_back(item);
    return out;
}

fs::path modelFoldersFile() { return StudioPaths::dataDir() / "model-folders.json"; }
fs::path resultsStorageFile() { return StudioPaths::dataDir() / "results-storage.json"; }

}  // namespace

fs::path StudioPaths::executableDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::current_path() : exe.parent_path();
}

fs::path StudioPaths::prefix() { return executableDir().parent_path(); }
fs::path StudioPaths::bundledPluginDir() { return prefix() / LATENT_PLUGIN_SUBDIR; }
fs::path StudioPaths::bundledModelDir() { return prefix() / LATENT_MODEL_SUBDIR; }

fs::path StudioPaths::dataDir() {
    if (auto home = env("LATENT_STUDIO_HOME"); !home.empty()) return home;
    if (auto xdg = env("XDG_DATA_HOME"); !xdg.empty()) return fs::path(xdg) / "latent-studio";
    if (auto home = env("HOME"); !home.empty()) return fs::path(home) / ".local/share/latent-studio";
    return fs::temp_directory_path() / "latent-studio";
}

fs::path StudioPaths::userPluginDir() { return dataDir() / "plugins"; }
fs::path StudioPaths::userModelDir() { return dataDir() / "models"; }
fs::path StudioPaths::logDir() { return dataDir() / "logs"; }

std::vector<fs::path> StudioPaths::userModelFolders() {
    std::vector<fs::path> out;
    try {
        const auto j = readJsonFileIfPresent(modelFoldersFile());
        if (!j) return out;
        const JsonReader r(*j, modelFoldersFile().string());
        for (const auto& folder : r.stringList("folders")) out.emplace_back(folder);
    } catch (const Error& e) {
        // A damaged settings file must not stop the app; say so and go on.
        spdlog::warn("ignoring the added model folders: {}", e.what());
        out.clear();
    }
    return out;
}

void StudioPaths::setUserModelFolders(const std::vector<fs::path>& folders) {
    nlohmann::json j;
    j["folders"] = nlohmann::json::array();
    for (const auto& f : folders) j["folders"].push_back(f.string());
    writeFileAtomic(modelFoldersFile(), dumpJsonFile(j), {.createParents = true});
}

fs::path StudioPaths::defaultResultsDir() { return dataDir() / "results"; }

StudioPaths::ResultsStorage StudioPaths::resultsStorage() {
    ResultsStorage out;
    out.folder = defaultResultsDir();
    try {
        const auto j = readJsonFileIfPresent(resultsStorageFile());
        if (!j) return out;
        const JsonReader r(*j, resultsStorageFile().string());
        if (const std::string folder = r.string("folder", ""); !folder.empty()) out.folder = folder;
        out.capBytes = std::uint64_t(r.integer("cap_bytes", 0, 0, std::int64_t(1) << 60));
    } catch (const Error& e) {
        spdlog::warn("using the default results storage: {}", e.what());
        out = {defaultResultsDir(), 0};
    }
    return out;
}

void StudioPaths::setResultsStorage(const ResultsStorage& storage) {
    nlohmann::json j;
    j["folder"] = storage.folder.empty() || storage.folder == defaultResultsDir() ? "" : storage.folder.string();
    j["cap_bytes"] = storage.capBytes;
    writeFileAtomic(resultsStorageFile(), dumpJsonFile(j), {.createParents = true});
}

EngineConfig StudioPaths::defaultEngineConfig() {
    EngineConfig config;
    config.appVersion = LATENT_APP_VERSION;
    config.dataDir = dataDir();
    const ResultsStorage storage = resultsStorage();
    config.resultsDir = storage.folder;
    config.resultsCapBytes = storage.capBytes;
    config.pluginDirs = {bundledPluginDir(), userPluginDir()};
    for (auto& p : splitPathList(env("LATENT_PLUGIN_PATH"))) config.pluginDirs.push_back(p);
    config.modelDirs = {bundledModelDir(), userModelDir()};
    for (auto& p : userModelFolders()) config.modelDirs.push_back(p);
    for (auto& p : splitPathList(env("LATENT_MODEL_PATH"))) config.modelDirs.push_back(p);
    // The CLI's way to the memory budget the GUI sets in its settings.
    if (const std::string mb = env("LATENT_RAM_BUDGET_MB"); !mb.empty()) {
        try {
            config.ramBudgetBytes = std::size_t(std::max(1LL, std::stoll(mb))) << 20;
        } catch (const std::exception&) {
            spdlog::warn("LATENT_RAM_BUDGET_MB={} is not a number of megabytes; using the default", mb);
        }
    }
    // Compute threads for every job (benchmarks, two trainings side by side).
    if (const std::string t = env("LATENT_THREADS"); !t.empty()) {
        try {
            config.threads = std::max(0, std::stoi(t));
        } catch (const std::exception&) {
            // Not a number: keep the default (all cores).
        }
    }
    return config;
}

}  // namespace latent
