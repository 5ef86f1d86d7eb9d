#pragma once
// Labelled one-shot audio for training the bundled sound models: notes of GM
// instruments rendered offline by FluidSynth, GM drum kits, real drum one-shots
// from the Hydrogen kits and Sonic Pi's samples (../shared/DATA.md, "Audio").
// Qt-free and torch-free.
//
// Classes: the 11 drum classes (DrumClass.h, ids 0–10, always present), then
// one class per requested FluidSynth program (when "fluidsynth" is a source).
//
// Every clip: mono at the requested rate, leading silence trimmed (up to the
// first sample within 50 dB of the clip's peak), cut to clipSeconds with a
// 10 ms fade-out or padded with zeros. Levels: FluidSynth notes and GM drums
// keep their velocity-dependent level (fixed synth gain, no normalisation);
// file one-shots (Hydrogen, Sonic Pi), recorded at arbitrary levels, are
// scaled so the RMS of their first 200 ms is −20 dBFS, with the peak held at
// or below −1 dBFS.
#include <cstdint>
#include <string>
#include <vector>

#include "AudioCredit.h"
#include "AudioDatasetRequest.h"
#include "AudioExample.h"

namespace latent::audio {

struct AudioDataset {
    int sampleRateHz = 0;
    int clipFrames = 0;
    std::vector<std::string> classNames;
    std::vector<AudioExample> examples;
    std::vector<std::string> notices;  // skipped items and conversions, counted: "hydrogen: 61 instruments not mapped …"
    std::vector<AudioCredit> credits;  // one per source × licence × credit, for the model card

    std::int64_t size() const { return std::int64_t(examples.size()); }
    std::vector<std::int64_t> countsPerClass() const;
};

// Builds the data set. Throws Error(BadArgument) for a request out of bounds
// (rate outside 8000–48000 Hz, clipSeconds outside 0.1–4, unknown source or
// split, pitch or program out of range, more than 2 GiB of samples), and
// Error(Io) naming the Debian package when a requested source is not
// installed. Items that cannot be used (a malformed drumkit.xml, a missing or
// undecodable file, an unmapped instrument, a silent clip) are skipped and
// counted in `notices`.
AudioDataset loadAudioDataset(const AudioDatasetRequest& request);

// The split an item key belongs to: true for "test" (~1 in 10).
bool isTestKey(const std::string& key);

}  // namespace latent::audio
