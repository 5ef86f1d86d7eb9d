#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace latent {

struct EngineConfig {
    std::vector<std::filesystem::path> pluginDirs;  // scanned in order; first id wins
    std::vector<std::filesystem::path> modelDirs;   // bundled, user data, user-added
    std::filesystem::path dataDir;                  // checksum cache lives here; empty: none
    int threads = 0;                                // torch intra-op threads; 0 = all cores
    std::string defaultDevice = "cpu";
    std::size_t ramBudgetBytes = std::size_t(4) << 30;
    std::string appVersion;
    // The results library (every finished job's output, searchable); empty:
    // nothing is recorded. A cap of 0 keeps everything.
    std::filesystem::path resultsDir;
    std::uint64_t resultsCapBytes = 0;
    // Queued jobs are kept here across restarts (Engine::restoreQueue); empty: not kept.
    std::filesystem::path queueFile;
    bool discoverCuda = true;
};

}  // namespace latent
