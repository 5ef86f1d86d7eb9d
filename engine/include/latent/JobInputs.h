#pragma once
// Non-parameter inputs of a job: the prompt, a latent vector, an image.
#include <optional>
#include <string>
#include <vector>

#include "latent/Chunk.h"

namespace latent {

struct JobInputs {
    std::string prompt;
    std::vector<float> latent;         // empty: sample from the seed
    std::optional<ImageFrame> image;   // for encode / likelihood tasks
};

}  // namespace latent
