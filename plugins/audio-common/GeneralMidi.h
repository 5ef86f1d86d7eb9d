#pragma once
// General MIDI tables: the 128 melodic program names (GM 1, 0-based program
// numbers as MIDI program-change messages carry them) and the percussion key
// map of channel 10 (keys 35–81) with the drum class each key belongs to.
#include <string>

#include "DrumClass.h"

namespace latent::audio {

// "Acoustic Grand Piano" for 0 … "Gunshot" for 127; "" outside 0..127.
const char* gmProgramName(int program);

// "Bass Drum 1" for key 36; "" for keys outside the GM percussion map.
const char* gmDrumKeyName(int key);

// The class of a GM percussion key; Invalid for keys outside the map and for
// sounds that are not one-shot drum hits (whistles, cuica, long guiro).
DrumClass gmDrumKeyClass(int key);

// MIDI note name: 60 → "C4", 61 → "C#4".
std::string midiNoteName(int key);

}  // namespace latent::audio
