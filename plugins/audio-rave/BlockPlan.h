#pragma once
// How a RAVE-style model is run over a long signal: latent frames in blocks
// (a short first block so sound starts soon), and for exports without cached
// convolutions a context of latent frames on each side of every block, run
// and thrown away, so block edges sound as if the whole signal went in at once.
#include <cmath>
#include <cstdint>

#include "RaveSignature.h"

namespace latent {

struct BlockPlan {
    std::int64_t firstBlock = 1;  // latent frames
    std::int64_t block = 1;
    std::int64_t context = 0;     // each side; 0 for streaming exports

    static BlockPlan forModel(const RaveSignature& s) {
        const double rate = s.latentRateHz();
        BlockPlan p;
        p.firstBlock = std::max<std::int64_t>(1, std::int64_t(std::ceil(0.1 * rate)));
        p.block = std::max<std::int64_t>(1, std::int64_t(std::ceil(1.0 * rate)));
        p.context = s.streaming ? 0 : std::max<std::int64_t>(1, std::int64_t(std::ceil(0.5 * rate)));
        return p;
    }
    std::int64_t blockAt(std::int64_t start) const { return start == 0 ? firstBlock : block; }
};

}  // namespace latent
