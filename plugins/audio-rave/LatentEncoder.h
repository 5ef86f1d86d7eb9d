#pragma once
// Encodes an audio source into a LatentStore ahead of what the decoder needs,
// block by block with the plan's context, in bounded memory (the audio kept
// is one block plus its context).
#include <memory>

#include "AudioSource.h"
#include "BlockPlan.h"
#include "LatentStore.h"
#include "RaveModule.h"

namespace latent {

class LatentEncoder {
public:
    LatentEncoder(RaveModule& module, std::unique_ptr<AudioSource> source, LatentStore& store);

    // Encodes until the store holds `frames` frames or the input ended.
    void ensure(std::int64_t frames);
    bool ended() const { return m_ended; }
    // Input frames read so far (all of them once ended).
    std::int64_t inputFrames() const { return m_inputFrames; }
    // Latent frames of the whole input, when known (-1 before).
    std::int64_t totalLatentFrames() const;
    const AudioSource& source() const { return *m_source; }

private:
    void encodeBlock();
    void readUntil(std::int64_t frame);

    RaveModule& m_module;
    std::unique_ptr<AudioSource> m_source;
    LatentStore& m_store;
    BlockPlan m_plan;
    int m_channels;
    std::int64_t m_hop;
    std::vector<float> m_buffer;  // input frames [m_bufferStart, m_bufferStart + size/channels)
    std::int64_t m_bufferStart = 0;
    std::int64_t m_inputFrames = 0;
    bool m_sourceDone = false;
    bool m_ended = false;
};

}  // namespace latent
