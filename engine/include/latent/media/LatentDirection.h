#pragma once
// One slider of the latent editor: a direction in a model's latent space.
#include <string>
#include <vector>

namespace latent {

struct LatentDirection {
    std::string name;            // unique within its set: "PC 1", "sneaker ↔ ankle boot", "z[3]"
    std::string group;           // "Principal", "Named", "Dimensions" or "Random"
    std::vector<float> vector;   // D values; slider value 1 moves the latent by this much
    std::string tooltip;         // what the direction is (explained variance, ...)
};

}  // namespace latent
