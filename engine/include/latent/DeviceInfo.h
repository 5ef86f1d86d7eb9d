#pragma once
#include <cstdint>
#include <string>

namespace latent {

struct DeviceInfo {
    std::string id;    // "cpu", "cuda:0"
    std::string name;  // "CPU (16 cores)", "NVIDIA H200"
    std::uint64_t totalMemoryBytes = 0;
    bool cuda = false;
};

}  // namespace latent
