#pragma once
#include <cstdint>
#include <string>

namespace latent {

struct Progress {
    std::int64_t done = 0;
    std::int64_t total = 0;     // 0: unknown
    std::int64_t elapsedMs = 0;
    std::int64_t etaMs = -1;    // -1: unknown; estimated from the rate so far
    std::string message;

    double fraction() const { return total > 0 ? double(done) / double(total) : 0.0; }
};

}  // namespace latent
