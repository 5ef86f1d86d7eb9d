#pragma once
// What a model card must credit for the data one source contributed.
#include <cstdint>
#include <string>

namespace latent::audio {

struct AudioCredit {
    std::string source;         // "fluidsynth:FluidR3_GM", "hydrogen:The Black Pearl 1.0", "sonic-pi"
    std::string license;        // "MIT", "GPL-2", "CC-BY-3.0", "CC0", as Debian's copyright file names it
    std::string credit;         // author / copyright holder
    std::string licenseAsGiven; // the kit's own words (drumkit.xml <license>), when they differ
    std::int64_t clips = 0;     // examples in the data set from this source under this licence and credit
};

}  // namespace latent::audio
