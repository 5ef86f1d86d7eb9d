#pragma once
// One labelled training clip: a fixed-length mono one-shot (a drum hit or an
// instrument note) with where it came from and under which licence.
#include <string>
#include <vector>

namespace latent::audio {

struct AudioExample {
    std::vector<float> samples;  // mono, AudioDataset::clipFrames long, in [-1, 1]
    int classId = -1;            // index into AudioDataset::classNames
    int midiPitch = -1;          // MIDI note of a pitched note; -1 for unpitched drums
    int velocity = 0;            // 1..127: the note-on velocity, or the layer's (Hydrogen) / "_hard"/"_soft" (Sonic Pi)
    std::string key;             // stable identity, decides the split: "fluidsynth/FluidR3_GM/0/0/60/100", "hydrogen/The Black Pearl 1.0/PearlKick-Hard.wav"
    std::string source;          // "fluidsynth:FluidR3_GM program 0 'Acoustic Grand Piano'", "hydrogen:The Black Pearl 1.0/Pearl Kick/PearlKick-Hard.wav"
    std::string license;         // "MIT", "GPL-2", "CC-BY-SA-3.0", "CC0"
    std::string credit;          // who to credit: "Frank Wen (FluidR3_GM SoundFont)", "Glen MacArthur"
};

}  // namespace latent::audio
