#pragma once
// What loadAudioDataset builds: which sources, at what rate and clip length,
// which split, and for FluidSynth which programs, pitches and velocities.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace latent::audio {

struct AudioDatasetRequest {
    // Comma-separated: "fluidsynth" (GM SoundFont notes and GM drum kits),
    // "hydrogen" (hydrogen-drumkits), "sonic-pi" (sonic-pi-samples).
    std::string sources = "fluidsynth,hydrogen,sonic-pi";
    int sampleRateHz = 16000;  // 8000..48000
    double clipSeconds = 1.0;  // 0.1..4
    // "train" (~90 %), "test" (~10 %: a fixed hash of each item's key, so an
    // item is always on the same side) or "all".
    std::string split = "train";
    // At most this many examples (0: all), picked by a fixed hash of their
    // keys so that a small limit still samples every source and class.
    std::int64_t limit = 0;

    // FluidSynth notes. Programs are 0-based GM program numbers (0 = Acoustic
    // Grand Piano); empty: defaultPrograms(). Each program is one class.
    std::vector<int> programs;
    int lowestPitch = 36;   // MIDI, inclusive
    int highestPitch = 84;  // MIDI, inclusive
    std::vector<int> velocities;  // empty: {64, 100, 127}
    // GM drum kits (bank 128 programs) rendered on channel 10, keys 35–81
    // mapped to the drum classes; empty: defaultDrumKits(). {-1}: none.
    std::vector<int> drumKits;

    // Where the packages put their files; tests point these at fixtures.
    std::filesystem::path soundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
    std::filesystem::path hydrogenDir = "/usr/share/hydrogen/data/drumkits";
    std::filesystem::path hydrogenCopyright = "/usr/share/doc/hydrogen-drumkits/copyright";
    std::filesystem::path sonicPiDir = "/usr/share/sonic-pi/samples";
    std::filesystem::path sonicPiCopyright = "/usr/share/doc/sonic-pi-samples/copyright";

    // A dozen contrasting GM instruments: 0 piano, 4 electric piano, 11
    // vibraphone, 16 drawbar organ, 24 nylon guitar, 33 finger bass, 48
    // strings, 56 trumpet, 65 alto sax, 73 flute, 80 square lead, 89 warm pad.
    static std::vector<int> defaultPrograms();
    static std::vector<int> defaultVelocities();
    // Standard, Room, Power, Electronic, TR-808, Jazz, Brush.
    static std::vector<int> defaultDrumKits();
};

}  // namespace latent::audio
