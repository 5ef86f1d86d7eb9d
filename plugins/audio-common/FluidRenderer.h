#pragma once
// Offline note rendering with FluidSynth: no audio driver, reverb and chorus
// off, one channel in use, every note started on a fresh synth state and on
// an audio-block boundary, so the same request always gives the same samples.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace latent::audio {

struct FluidNote {
    int bank = 0;        // 0 melodic, 128 GM percussion kits
    int program = 0;     // 0-based GM program (for bank 128: the kit, 0 = Standard)
    int key = 60;        // MIDI note
    int velocity = 100;  // 1..127
    int holdFrames = 0;  // note-on to note-off
    int totalFrames = 0; // rendered in all (the release tail after note-off)
};

class FluidRenderer {
public:
    // Loads the SoundFont (FluidR3_GM.sf2 is 148 MB: about a second). Throws
    // Error(Io) when the file is missing and Error(Format) when FluidSynth
    // cannot load it. `gain` is FluidSynth's master gain (synth.gain).
    FluidRenderer(const std::filesystem::path& soundFont, int sampleRateHz, double gain);
    ~FluidRenderer();
    FluidRenderer(const FluidRenderer&) = delete;
    FluidRenderer& operator=(const FluidRenderer&) = delete;

    // The SoundFont's own name for a preset ("Yamaha Grand Piano"); "" when
    // it has none at that bank and program.
    std::string presetName(int bank, int program) const;

    // Renders one note as mono samples (left and right averaged), exactly
    // note.totalFrames long. Throws Error(BadArgument) for a preset the
    // SoundFont lacks or out-of-range numbers. FluidSynth's own warnings are
    // added to `notices` (deduplicated by the caller).
    std::vector<float> render(const FluidNote& note, std::vector<std::string>* notices = nullptr);

    int sampleRateHz() const { return m_sampleRateHz; }
    std::string soundFontName() const;  // file stem: "FluidR3_GM"

private:
    struct State;
    std::unique_ptr<State> m_state;
    int m_sampleRateHz = 0;
};

}  // namespace latent::audio
