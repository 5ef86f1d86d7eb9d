#include "models/MemoryEstimate.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "latent/formats/Safetensors.h"

namespace fs = std::filesystem;

namespace latent {

std::size_t estimateLoadedBytes(const ModelPackage& package) {
    std::size_t total = 0;
    for (const auto& f : package.files) {
        const fs::path path = package.filePath(f);
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) continue;  // the verification that follows names it
        if (path.extension() == ".safetensors") {
            const SafetensorsFile st(path);
            for (const auto& t : st.tensors()) total += std::size_t(t.numel()) * 4;
        } else if (path.extension() == ".pt") {
            total += std::size_t(f.bytes);  // TorchScript: the archive holds the tensors
        }
    }
    return total;
}

std::optional<std::size_t> availableMemoryBytes() {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("MemAvailable:", 0) != 0) continue;
        std::istringstream fields(line.substr(13));
        std::size_t kb = 0;
        if (fields >> kb) return kb * 1024;
    }
    return std::nullopt;
}

std::string memoryText(std::size_t bytes) {
    char buf[32];
    if (bytes >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.1f GB", double(bytes) / 1e9);
    else if (bytes >= 10'000'000) std::snprintf(buf, sizeof buf, "%.0f MB", double(bytes) / 1e6);
    else std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
    return buf;
}

}  // namespace latent
