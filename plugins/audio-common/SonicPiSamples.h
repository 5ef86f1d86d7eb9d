#pragma once
// Sonic Pi's sample library (the sonic-pi-samples package): FLAC clips named
// by a prefix that says what they are (bd_ bass drums, sn_ snares, drum_,
// elec_, perc_, tabla_, and loop_, ambi_, bass_, guit_ … that are not one-shot
// drums). Maps a file stem to a drum class or to the reason it is skipped.
#include <string>
#include <string_view>

#include "DrumClass.h"

namespace latent::audio {

struct SonicPiLabel {
    DrumClass drumClass = DrumClass::Invalid;
    int velocity = 100;      // 127 for "_hard", 64 for "_soft" variants
    std::string skipReason;  // when Invalid: "loop", "ambient", "bass", "synth blip", …
};

// bd_haus → kick; sn_dub → snare; drum_cymbal_open → open hat; tabla_na →
// hand drum; loop_amen → skipped ("loop").
SonicPiLabel sonicPiLabel(std::string_view stem);

}  // namespace latent::audio
