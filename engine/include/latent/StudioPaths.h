#pragma once
// Where the studio keeps and finds its files. Shared by the GUI and the
// Qt-free CLI so both see the same plugins, models and settings on disk.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "latent/EngineConfig.h"

namespace latent {

class StudioPaths {
public:
    static std::filesystem::path executableDir();
    // Build and install trees share one layout: bin/, <libdir>/latent-studio/plugins,
    // share/latent-studio/models, all under executableDir()/..
    static std::filesystem::path prefix();
    static std::filesystem::path bundledPluginDir();
    static std::filesystem::path bundledModelDir();

    // $LATENT_STUDIO_HOME, else $XDG_DATA_HOME/latent-studio, else ~/.local/share/latent-studio.
    static std::filesystem::path dataDir();
    static std::filesystem::path userPluginDir();  // dataDir()/plugins
    static std::filesystem::path userModelDir();   // dataDir()/models (imports land here)
    static std::filesystem::path logDir();         // dataDir()/logs

    // Model folders the user added (dataDir()/model-folders.json); the CLI reads them too.
    static std::vector<std::filesystem::path> userModelFolders();
    static void setUserModelFolders(const std::vector<std::filesystem::path>& folders);  // atomic

    // The results library's storage (dataDir()/results-storage.json), shared
    // by the GUI's settings and the CLI: its folder (default dataDir()/results)
    // and a size cap in bytes (0: none; oldest-first pruning spares favourites).
    struct ResultsStorage {
        std::filesystem::path folder;
        std::uint64_t capBytes = 0;
    };
    static ResultsStorage resultsStorage();
    static void setResultsStorage(const ResultsStorage& storage);  // atomic; an empty folder means the default
    static std::filesystem::path defaultResultsDir();              // dataDir()/results

    // Plugin dirs: bundled, user, then $LATENT_PLUGIN_PATH (':'-separated).
    // Model dirs: bundled, user, user-added folders, then $LATENT_MODEL_PATH.
    static EngineConfig defaultEngineConfig();
};

}  // namespace latent
