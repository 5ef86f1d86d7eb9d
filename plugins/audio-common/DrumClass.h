#pragma once
// The fixed drum-class vocabulary shared by every drum source (Hydrogen kits,
// Sonic Pi samples, GM drum kits rendered by FluidSynth), and the rule table
// that maps an instrument's free-text name ("Sabian Hat Semi-Open",
// "c#3 - stick", "Djembe1 Slap") to one class.
#include <string>
#include <string_view>
#include <vector>

namespace latent::audio {

// Persisted through class ids (classId = int(DrumClass) - 1) in trained
// models: start at 1, never renumber; new classes go at the end.
enum class DrumClass {
    Invalid = 0,
    Kick = 1,
    Snare = 2,
    Rim = 3,        // side stick, cross stick, rim click
    Clap = 4,       // hand clap, finger snap
    ClosedHat = 5,  // closed and pedal hi-hat
    OpenHat = 6,    // open, semi-open, swish
    Tom = 7,        // toms, floor toms, timbales
    Crash = 8,      // crash, china, splash
    Ride = 9,       // ride bow and bell
    Perc = 10,      // cowbell, tambourine, shaker, clave, woodblock, agogo, triangle, bells
    HandDrum = 11,  // conga, bongo, djembe, cajon, tabla and other hand-played drums
};

constexpr int kDrumClassCount = 11;

// "kick", "snare", "rim", "clap", "closed hat", "open hat", "tom", "crash",
// "ride", "perc", "hand drum"; "" for Invalid.
const char* drumClassName(DrumClass c);

// All drum class names in id order (index = int(DrumClass) - 1).
std::vector<std::string> drumClassNames();

// Maps a drum instrument name to its class by an ordered rule table (first
// rule wins); Invalid when no rule matches or the name says it is not a
// one-shot drum sound ("Snare Roll", "FX", "Zap 1", "Whistle").
DrumClass drumClassForName(std::string_view instrumentName);

}  // namespace latent::audio
