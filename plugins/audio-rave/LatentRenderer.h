#pragma once
// Decodes a latent trajectory block by block (with the plan's context) and
// streams the audio as timed AudioBlocks, applying the per-dimension edit
// z' = z * scale + offset on the way. An encoder, when given, is asked to
// fill the store ahead of each block, so transfer streams as it encodes.
#include <vector>

#include "LatentEncoder.h"
#include "LatentStore.h"
#include "RaveModule.h"
#include "latent/JobContext.h"

namespace latent {

struct LatentEdit {
    std::vector<float> offset;  // empty or one per dimension
    std::vector<float> scale;

    bool empty() const { return offset.empty() && scale.empty(); }
    at::Tensor apply(const at::Tensor& z) const;  // z [1, dims, n]
};

enum class LatentReport { Invalid = 0, FirstBlock = 1, FinalBlock = 2 };

class LatentRenderer {
public:
    LatentRenderer(RaveModule& module, JobContext& ctx, LatentEdit edit);

    // Renders store frames until its end (the encoder's, when given); at most
    // `audioFrames` frames come out (-1: all the store's, or the encoder's
    // input length). The store's latent rides on one block, as `report` says.
    void render(LatentStore& store, LatentEncoder* encoder, std::int64_t audioFrames, LatentReport report);

private:
    RaveModule& m_module;
    JobContext& m_ctx;
    LatentEdit m_edit;
};

}  // namespace latent
