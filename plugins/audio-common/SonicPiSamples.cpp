#include "SonicPiSamples.h"

#include <utility>

namespace latent::audio {

namespace {

struct Named {
    std::string_view stem;
    DrumClass drumClass;
};

// The drum_, elec_ and perc_ one-shots, by name (the generic name rules
// would read "drum_cymbal_closed" as a crash).
const Named kNamed[] = {
    {"drum_heavy_kick", DrumClass::Kick},
    {"drum_bass_hard", DrumClass::Kick},
    {"drum_bass_soft", DrumClass::Kick},
    {"drum_snare_hard", DrumClass::Snare},
    {"drum_snare_soft", DrumClass::Snare},
    {"drum_cymbal_closed", DrumClass::ClosedHat},
    {"drum_cymbal_pedal", DrumClass::ClosedHat},
    {"drum_cymbal_open", DrumClass::OpenHat},
    {"drum_cymbal_hard", DrumClass::Crash},
    {"drum_cymbal_soft", DrumClass::Crash},
    {"drum_splash_hard", DrumClass::Crash},
    {"drum_splash_soft", DrumClass::Crash},
    {"drum_tom_hi_hard", DrumClass::Tom},
    {"drum_tom_hi_soft", DrumClass::Tom},
    {"drum_tom_mid_hard", DrumClass::Tom},
    {"drum_tom_mid_soft", DrumClass::Tom},
    {"drum_tom_lo_hard", DrumClass::Tom},
    {"drum_tom_lo_soft", DrumClass::Tom},
    {"drum_cowbell", DrumClass::Perc},
    {"elec_soft_kick", DrumClass::Kick},
    {"elec_hollow_kick", DrumClass::Kick},
    {"elec_snare", DrumClass::Snare},
    {"elec_hi_snare", DrumClass::Snare},
    {"elec_mid_snare", DrumClass::Snare},
    {"elec_lo_snare", DrumClass::Snare},
    {"elec_filt_snare", DrumClass::Snare},
    {"elec_fuzz_tom", DrumClass::Tom},
    {"elec_cymbal", DrumClass::Crash},
    {"elec_triangle", DrumClass::Perc},
    {"elec_wood", DrumClass::Perc},
    {"elec_tick", DrumClass::Rim},
    {"perc_bell", DrumClass::Perc},
    {"perc_bell2", DrumClass::Perc},
    {"perc_snap", DrumClass::Clap},
    {"perc_snap2", DrumClass::Clap},
};

// Prefixes whose every clip is one class.
const std::pair<std::string_view, DrumClass> kClassPrefixes[] = {
    {"bd_", DrumClass::Kick},
    {"sn_", DrumClass::Snare},
    {"tabla_", DrumClass::HandDrum},
};

// Prefixes that are not one-shot drums, and why.
const std::pair<std::string_view, std::string_view> kSkipPrefixes[] = {
    {"loop_", "loop"},         {"ambi_", "ambient"},     {"bass_", "bass note"},
    {"guit_", "guitar"},       {"vinyl_", "vinyl effect"}, {"misc_", "effect"},
    {"mehackit_", "effect"},   {"glitch_", "glitch effect"}, {"drum_roll", "roll"},
    {"elec_", "synth blip"},   {"perc_", "effect"},
};

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

SonicPiLabel sonicPiLabel(std::string_view stem) {
    SonicPiLabel out;
    if (endsWith(stem, "_hard")) out.velocity = 127;
    if (endsWith(stem, "_soft")) out.velocity = 64;
    for (const Named& n : kNamed) {
        if (n.stem == stem) {
            out.drumClass = n.drumClass;
            return out;
        }
    }
    for (const auto& [prefix, cls] : kClassPrefixes) {
        if (startsWith(stem, prefix)) {
            out.drumClass = cls;
            return out;
        }
    }
    for (const auto& [prefix, reason] : kSkipPrefixes) {
        if (startsWith(stem, prefix)) {
            out.skipReason = std::string(reason);
            return out;
        }
    }
    out.skipReason = "unknown prefix";
    return out;
}

}  // namespace latent::audio
