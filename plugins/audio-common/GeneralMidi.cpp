#include "GeneralMidi.h"

namespace latent::audio {

namespace {

const char* const kPrograms[128] = {
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
    "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet",
    "Celesta", "Glockenspiel", "Music Box", "Vibraphone",
    "Marimba", "Xylophone", "Tubular Bells", "Dulcimer",
    "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ",
    "Reed Organ", "Accordion", "Harmonica", "Tango Accordion",
    "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)", "Electric Guitar (clean)",
    "Electric Guitar (muted)", "Overdriven Guitar", "Distortion Guitar", "Guitar Harmonics",
    "Acoustic Bass", "Electric Bass (finger)", "Electric Bass (pick)", "Fretless Bass",
    "Slap Bass 1", "Slap Bass 2", "Synth Bass 1", "Synth Bass 2",
    "Violin", "Viola", "Cello", "Contrabass",
    "Tremolo Strings", "Pizzicato Strings", "Orchestral Harp", "Timpani",
    "String Ensemble 1", "String Ensemble 2", "Synth Strings 1", "Synth Strings 2",
    "Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit",
    "Trumpet", "Trombone", "Tuba", "Muted Trumpet",
    "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2",
    "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax",
    "Oboe", "English Horn", "Bassoon", "Clarinet",
    "Piccolo", "Flute", "Recorder", "Pan Flute",
    "Blown Bottle", "Shakuhachi", "Whistle", "Ocarina",
    "Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)",
    "Lead 5 (charang)", "Lead 6 (voice)", "Lead 7 (fifths)", "Lead 8 (bass + lead)",
    "Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)", "Pad 4 (choir)",
    "Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
    "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)",
    "FX 5 (brightness)", "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)",
    "Sitar", "Banjo", "Shamisen", "Koto",
    "Kalimba", "Bagpipe", "Fiddle", "Shanai",
    "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock",
    "Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal",
    "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet",
    "Telephone Ring", "Helicopter", "Applause", "Gunshot",
};

struct DrumKey {
    const char* name;
    DrumClass drumClass;
};

constexpr int kFirstDrumKey = 35;
const DrumKey kDrumKeys[] = {
    {"Acoustic Bass Drum", DrumClass::Kick},  // 35
    {"Bass Drum 1", DrumClass::Kick},
    {"Side Stick", DrumClass::Rim},
    {"Acoustic Snare", DrumClass::Snare},
    {"Hand Clap", DrumClass::Clap},
    {"Electric Snare", DrumClass::Snare},  // 40
    {"Low Floor Tom", DrumClass::Tom},
    {"Closed Hi-Hat", DrumClass::ClosedHat},
    {"High Floor Tom", DrumClass::Tom},
    {"Pedal Hi-Hat", DrumClass::ClosedHat},
    {"Low Tom", DrumClass::Tom},  // 45
    {"Open Hi-Hat", DrumClass::OpenHat},
    {"Low-Mid Tom", DrumClass::Tom},
    {"Hi-Mid Tom", DrumClass::Tom},
    {"Crash Cymbal 1", DrumClass::Crash},
    {"High Tom", DrumClass::Tom},  // 50
    {"Ride Cymbal 1", DrumClass::Ride},
    {"Chinese Cymbal", DrumClass::Crash},
    {"Ride Bell", DrumClass::Ride},
    {"Tambourine", DrumClass::Perc},
    {"Splash Cymbal", DrumClass::Crash},  // 55
    {"Cowbell", DrumClass::Perc},
    {"Crash Cymbal 2", DrumClass::Crash},
    {"Vibraslap", DrumClass::Perc},
    {"Ride Cymbal 2", DrumClass::Ride},
    {"Hi Bongo", DrumClass::HandDrum},  // 60
    {"Low Bongo", DrumClass::HandDrum},
    {"Mute Hi Conga", DrumClass::HandDrum},
    {"Open Hi Conga", DrumClass::HandDrum},
    {"Low Conga", DrumClass::HandDrum},
    {"High Timbale", DrumClass::Tom},  // 65
    {"Low Timbale", DrumClass::Tom},
    {"High Agogo", DrumClass::Perc},
    {"Low Agogo", DrumClass::Perc},
    {"Cabasa", DrumClass::Perc},
    {"Maracas", DrumClass::Perc},  // 70
    {"Short Whistle", DrumClass::Invalid},
    {"Long Whistle", DrumClass::Invalid},
    {"Short Guiro", DrumClass::Perc},
    {"Long Guiro", DrumClass::Invalid},
    {"Claves", DrumClass::Perc},  // 75
    {"Hi Wood Block", DrumClass::Perc},
    {"Low Wood Block", DrumClass::Perc},
    {"Mute Cuica", DrumClass::Invalid},
    {"Open Cuica", DrumClass::Invalid},
    {"Mute Triangle", DrumClass::Perc},  // 80
    {"Open Triangle", DrumClass::Perc},  // 81
};
constexpr int kDrumKeyCount = int(sizeof(kDrumKeys) / sizeof(kDrumKeys[0]));

}  // namespace

const char* gmProgramName(int program) { return program >= 0 && program < 128 ? kPrograms[program] : ""; }

const char* gmDrumKeyName(int key) {
    const int i = key - kFirstDrumKey;
    return i >= 0 && i < kDrumKeyCount ? kDrumKeys[i].name : "";
}

DrumClass gmDrumKeyClass(int key) {
    const int i = key - kFirstDrumKey;
    return i >= 0 && i < kDrumKeyCount ? kDrumKeys[i].drumClass : DrumClass::Invalid;
}

std::string midiNoteName(int key) {
    static const char* const names[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    if (key < 0 || key > 127) return "?";
    return std::string(names[key % 12]) + std::to_string(key / 12 - 1);
}

}  // namespace latent::audio
