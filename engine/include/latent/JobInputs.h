#pragma once
// Non-parameter inputs of a job: the prompt, a latent vector, an image, a sound.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latent/Chunk.h"

namespace latent {

struct JobInputs {
    std::string prompt;
    // Text models: token ids that follow the tokenized prompt, shown again as
    // the start of the output (with their probabilities) before new tokens.
    // Continue and "regenerate from this token" send the exact ids, which
    // re-tokenizing the text would not always reproduce.
    std::vector<std::int32_t> continuationTokens;
    std::vector<float> latent;         // empty: sample from the seed
    std::optional<ImageFrame> image;   // for encode / likelihood tasks
    std::optional<AudioBlock> audio;   // a whole clip, for audio encode / transfer tasks
    // Or a sound file the task streams block by block (a long recording).
    std::string audioFile;
    // Audio latent edits, per latent dimension, applied to every latent frame
    // before decoding: z' = z * latentScale[d] + latentOffset[d] (RAVE's VST
    // sliders). Empty: no edit; otherwise one value per dimension.
    std::vector<float> latentOffset;
    std::vector<float> latentScale;
};

}  // namespace latent
