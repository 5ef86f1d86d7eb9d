// plugins/audio-common: labelled one-shot audio from FluidSynth (FluidR3_GM),
// the Hydrogen drum kits and Sonic Pi's samples, and the f0 / centroid
// features the sound-model evaluation uses.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "AudioDataset.h"
#include "AudioFeatures.h"
#include "ClipShaping.h"
#include "DebianCopyright.h"
#include "DrumClass.h"
#include "GeneralMidi.h"
#include "HydrogenKit.h"
#include "SonicPiSamples.h"
#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/media/AudioFile.h"

using namespace latent;
using namespace latent::audio;
namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

bool anyNotice(const std::vector<std::string>& notices, const std::string& part) {
    for (const std::string& n : notices)
        if (contains(n, part)) return true;
    return false;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += "  " + s + "\n";
    return out;
}

// A FluidSynth-only request: only the listed programs, pitches and velocities.
AudioDatasetRequest notesRequest(std::vector<int> programs, int lo, int hi, std::vector<int> velocities) {
    AudioDatasetRequest r;
    r.sources = "fluidsynth";
    r.split = "all";
    r.programs = std::move(programs);
    r.lowestPitch = lo;
    r.highestPitch = hi;
    r.velocities = std::move(velocities);
    r.drumKits = {-1};
    return r;
}

std::string errorMessage(const AudioDatasetRequest& r, ErrorKind* kind = nullptr) {
    try {
        (void)loadAudioDataset(r);
    } catch (const Error& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "";
}

void writeWav(const fs::path& path, const std::vector<float>& samples, int rate) {
    AudioClip clip;
    clip.sampleRateHz = rate;
    clip.channels = 1;
    clip.samples = samples;
    writeAudioFile(path, clip, AudioFileFormat::Wav16);
}

std::vector<float> decayingTone(double hz, int rate, double seconds, double amp) {
    std::vector<float> x(std::size_t(seconds * rate));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / rate;
        x[i] = float(amp * std::exp(-6.0 * t) * std::sin(2 * kPi * hz * t));
    }
    return x;
}

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

const AudioExample* findKey(const AudioDataset& d, const std::string& key) {
    for (const AudioExample& e : d.examples)
        if (e.key == key) return &e;
    return nullptr;
}

}  // namespace

// ------------------------------------------------------------- vocabulary

TEST(DrumClass, RuleTableMapsKitInstrumentNames) {
    const std::map<std::string, DrumClass> cases = {
        {"Kick", DrumClass::Kick},
        {"Pearl Kick", DrumClass::Kick},
        {"BassDrum", DrumClass::Kick},
        {"c3 - bass drum 1", DrumClass::Kick},
        {"Kick (Tama Superstar 22\")", DrumClass::Kick},
        {"Snare Jazz", DrumClass::Snare},
        {"Snare1", DrumClass::Snare},
        {"Pearl Snare Rimshot", DrumClass::Snare},
        {"Pearl Side Stick", DrumClass::Rim},
        {"Stick", DrumClass::Rim},
        {"Rim Click (Pearl Free Floating Maple 14x3.5)", DrumClass::Rim},
        {"Hand Clap", DrumClass::Clap},
        {"Finger Snaps", DrumClass::Clap},
        {"Closed HH", DrumClass::ClosedHat},
        {"Pedal HH", DrumClass::ClosedHat},
        {"Hi-Hat Closed (Paiste Alpha Metal edge 14\")", DrumClass::ClosedHat},
        {"VariBreaks Hat 1 Pd", DrumClass::ClosedHat},
        {"Open HH", DrumClass::OpenHat},
        {"Sabian Hat Semi-Open", DrumClass::OpenHat},
        {"Hi Hat Opened", DrumClass::OpenHat},
        {"Hat Op Dirty", DrumClass::OpenHat},
        {"VariBreaks Hat 1 Op", DrumClass::OpenHat},
        {"Side OHH", DrumClass::OpenHat},
        {"Tom Low", DrumClass::Tom},
        {"tomhi2", DrumClass::Tom},
        {"Floor Tom", DrumClass::Tom},
        {"Tom Mid (Tama Superstar 13\")", DrumClass::Tom},
        {"Crash", DrumClass::Crash},
        {"crash16inch", DrumClass::Crash},
        {"China (Paiste Alpha 18\")", DrumClass::Crash},
        {"Zildjian Splash", DrumClass::Crash},
        {"Ride Jazz", DrumClass::Ride},
        {"Ride Bow (Custom, Zagrebin 22\")", DrumClass::Ride},
        {"ride-cup", DrumClass::Ride},
        {"Cowbell", DrumClass::Perc},
        {"Tambourine (Pearl PTM-10GH)", DrumClass::Perc},
        {"Woodblock Hi", DrumClass::Perc},
        {"Sangban1 Bell Hit", DrumClass::Perc},
        {"Djembe1 Slap", DrumClass::HandDrum},
        {"Cajon Slap", DrumClass::HandDrum},
        {"Conga 1", DrumClass::HandDrum},
        {"Snare Roll", DrumClass::Invalid},
        {"FX", DrumClass::Invalid},
        {"Zap 1", DrumClass::Invalid},
        {"Whistle", DrumClass::Invalid},
        {"Sample: beats_08-37.flac", DrumClass::Invalid},
        {"f#4 - ", DrumClass::Invalid},
        {"", DrumClass::Invalid},
    };
    for (const auto& [name, cls] : cases)
        EXPECT_EQ(drumClassName(drumClassForName(name)), std::string(drumClassName(cls))) << "'" << name << "'";
    const std::vector<std::string> names = drumClassNames();
    ASSERT_EQ(names.size(), std::size_t(kDrumClassCount));
    EXPECT_EQ(names.front(), "kick");
    EXPECT_EQ(names[int(DrumClass::ClosedHat) - 1], "closed hat");
}

TEST(DrumClass, GeneralMidiTables) {
    EXPECT_STREQ(gmProgramName(0), "Acoustic Grand Piano");
    EXPECT_STREQ(gmProgramName(73), "Flute");
    EXPECT_STREQ(gmProgramName(128), "");
    EXPECT_STREQ(gmDrumKeyName(36), "Bass Drum 1");
    EXPECT_EQ(gmDrumKeyClass(36), DrumClass::Kick);
    EXPECT_EQ(gmDrumKeyClass(42), DrumClass::ClosedHat);
    EXPECT_EQ(gmDrumKeyClass(46), DrumClass::OpenHat);
    EXPECT_EQ(gmDrumKeyClass(71), DrumClass::Invalid);  // whistle
    EXPECT_EQ(gmDrumKeyClass(34), DrumClass::Invalid);
    EXPECT_EQ(midiNoteName(60), "C4");
    EXPECT_EQ(midiNoteName(69), "A4");
}

TEST(SonicPi, PrefixMapping) {
    EXPECT_EQ(sonicPiLabel("bd_haus").drumClass, DrumClass::Kick);
    EXPECT_EQ(sonicPiLabel("sn_dub").drumClass, DrumClass::Snare);
    EXPECT_EQ(sonicPiLabel("drum_cymbal_open").drumClass, DrumClass::OpenHat);
    EXPECT_EQ(sonicPiLabel("drum_cymbal_closed").drumClass, DrumClass::ClosedHat);
    EXPECT_EQ(sonicPiLabel("drum_cymbal_hard").drumClass, DrumClass::Crash);
    EXPECT_EQ(sonicPiLabel("drum_tom_lo_soft").drumClass, DrumClass::Tom);
    EXPECT_EQ(sonicPiLabel("drum_tom_lo_soft").velocity, 64);
    EXPECT_EQ(sonicPiLabel("drum_snare_hard").velocity, 127);
    EXPECT_EQ(sonicPiLabel("elec_hollow_kick").drumClass, DrumClass::Kick);
    EXPECT_EQ(sonicPiLabel("perc_snap").drumClass, DrumClass::Clap);
    EXPECT_EQ(sonicPiLabel("tabla_na").drumClass, DrumClass::HandDrum);
    for (const char* skipped : {"loop_amen", "ambi_choir", "bass_hit_c", "guit_em9", "drum_roll", "elec_blip",
                                "vinyl_hiss", "glitch_perc1", "mehackit_robot1", "misc_burp", "whatever"}) {
        const SonicPiLabel l = sonicPiLabel(skipped);
        EXPECT_EQ(l.drumClass, DrumClass::Invalid) << skipped;
        EXPECT_FALSE(l.skipReason.empty()) << skipped;
    }
    EXPECT_EQ(sonicPiLabel("loop_amen").skipReason, "loop");
}

TEST(SonicPi, PackageClipsCarryClassAndCredit) {
    AudioDatasetRequest r;
    r.sources = "sonic-pi";
    r.split = "all";
    const AudioDataset d = loadAudioDataset(r);
    EXPECT_GE(d.size(), 60) << joined(d.notices);
    EXPECT_LE(d.size(), 100);
    EXPECT_TRUE(anyNotice(d.notices, "loop")) << joined(d.notices);
    const AudioExample* haus = findKey(d, "sonic-pi/bd_haus.flac");
    ASSERT_NE(haus, nullptr);
    EXPECT_EQ(d.classNames[std::size_t(haus->classId)], "kick");
    EXPECT_EQ(haus->license, "CC0");
    EXPECT_TRUE(contains(haus->credit, "Rodrigo")) << haus->credit;
    EXPECT_EQ(findKey(d, "sonic-pi/loop_amen.flac"), nullptr);
    const AudioExample* open = findKey(d, "sonic-pi/drum_cymbal_open.flac");
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(d.classNames[std::size_t(open->classId)], "open hat");
    for (const AudioExample& e : d.examples) {
        EXPECT_FALSE(e.license.empty());
        EXPECT_FALSE(contains(e.license, "unknown")) << e.key;
    }
}

// ----------------------------------------------------------- clip shaping

TEST(ClipShaping, TrimsCutsWithFadeAndPads) {
    std::vector<float> x(1000, 0.0f);
    for (std::size_t i = 100; i < 1000; ++i) x[i] = 0.5f;
    x[50] = 0.001f;  // −54 dB below the peak: still silence
    ClipShapeOptions o;
    o.frames = 400;
    o.fadeFrames = 10;
    const std::vector<float> cut = shapeClip(x, o);
    ASSERT_EQ(cut.size(), 400u);
    EXPECT_FLOAT_EQ(cut[0], 0.5f);     // trimmed to the onset at 100
    EXPECT_FLOAT_EQ(cut[389], 0.5f);   // before the fade
    EXPECT_LT(cut[395], 0.5f);         // in the fade
    EXPECT_FLOAT_EQ(cut[399], 0.0f);   // faded out
    o.frames = 2000;
    const std::vector<float> padded = shapeClip(x, o);
    ASSERT_EQ(padded.size(), 2000u);
    EXPECT_FLOAT_EQ(padded[899], 0.5f);  // no fade when nothing was cut
    EXPECT_FLOAT_EQ(padded[900], 0.0f);
    EXPECT_TRUE(shapeClip(std::vector<float>(500, 1e-5f), o).empty());  // silent
    EXPECT_TRUE(shapeClip({}, o).empty());

    std::vector<float> y(1000, 0.01f);
    y[10] = 0.5f;
    const double g = normalizeLoudness(y, 1000, -20.0, -1.0);
    EXPECT_GT(g, 1.0);
    EXPECT_LE(peakOf(y.data(), y.size()), std::pow(10.0, -1.0 / 20.0) + 1e-6);
}

TEST(ClipShaping, LoudnessTargetWhenPeakAllows) {
    std::vector<float> y(4000);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = float(0.01 * std::sin(2 * kPi * 0.01 * double(i)));
    normalizeLoudness(y, 4000, -20.0, -1.0);
    EXPECT_NEAR(20.0 * std::log10(rmsOf(y.data(), y.size())), -20.0, 0.05);
}

// ---------------------------------------------------------------- features

TEST(AudioFeatures, F0OfSyntheticTonesWithinTwoCents) {
    const int rate = 16000;
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 0.01);
    for (double midi : {33.0, 36.0, 45.5, 57.0, 69.0, 76.3, 84.0, 90.0}) {
        const double hz = midiToHz(midi);
        std::vector<float> x(rate);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = double(i) / rate;
            double v = 0;
            for (int h = 1; h <= 6 && h * hz < rate / 2; ++h) v += std::sin(2 * kPi * h * hz * t + h) / h;
            x[i] = float(0.3 * v + noise(rng));
        }
        const double f0 = estimateF0(x.data(), int(x.size()), rate);
        EXPECT_NEAR(centsBetween(f0, hz), 0.0, 2.0) << "MIDI " << midi << ": " << f0 << " Hz vs " << hz;
    }
    // Noise and silence have no pitch.
    std::vector<float> n(rate);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    for (float& v : n) v = u(rng);
    EXPECT_EQ(estimateF0(n.data(), int(n.size()), rate), 0.0);
    std::vector<float> z(rate, 0.0f);
    EXPECT_EQ(estimateF0(z.data(), int(z.size()), rate), 0.0);
    EXPECT_EQ(estimateF0(z.data(), 10, rate), 0.0);
    EXPECT_EQ(estimateF0(nullptr, 0, rate), 0.0);
}

TEST(AudioFeatures, SpectralCentroid) {
    const int rate = 16000;
    std::vector<float> s(rate);
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = float(0.5 * std::sin(2 * kPi * 1000.0 * double(i) / rate));
    EXPECT_NEAR(spectralCentroid(s.data(), int(s.size()), rate), 1000.0, 30.0);
    // White noise: the centroid is near a quarter of the rate.
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    for (float& v : s) v = u(rng);
    EXPECT_NEAR(spectralCentroid(s.data(), int(s.size()), rate), rate / 4.0, 200.0);
    std::vector<float> z(1000, 0.0f);
    EXPECT_EQ(spectralCentroid(z.data(), int(z.size()), rate), 0.0);
}

// ---------------------------------------------------------------- requests

TEST(AudioDataset, AbsurdRequestsAreRefused) {
    auto refused = [](AudioDatasetRequest r, const std::string& part) {
        ErrorKind kind = ErrorKind::Invalid;
        const std::string m = errorMessage(r, &kind);
        EXPECT_EQ(kind, ErrorKind::BadArgument) << m;
        EXPECT_TRUE(contains(m, part)) << "'" << m << "' lacks '" << part << "'";
    };
    AudioDatasetRequest r;
    r.sampleRateHz = 4000;
    refused(r, "8000–48000 Hz");
    r.sampleRateHz = 96000;
    refused(r, "96000 Hz");
    r = {};
    r.clipSeconds = 0.05;
    refused(r, "0.1–4 s");
    r.clipSeconds = 10;
    refused(r, "0.1–4 s");
    r.clipSeconds = std::nan("");
    refused(r, "0.1–4 s");
    r = {};
    r.sources = "fluidsynth,freesound";
    refused(r, "'freesound'");
    r.sources = " , ";
    refused(r, "no audio data source");
    r = {};
    r.split = "validation";
    refused(r, "train, test or all");
    r = {};
    r.limit = -1;
    refused(r, "limit");
    r = {};
    r.programs = {0, 128};
    refused(r, "GM program 128");
    r = {};
    r.lowestPitch = 90;
    r.highestPitch = 80;
    refused(r, "pitch range");
    r = {};
    r.velocities = {0};
    refused(r, "velocity 0");
    // 128 programs × 128 pitches × 127 velocities × 4 s at 48 kHz: far more
    // than memory allows, refused before rendering anything.
    r = notesRequest({}, 0, 127, {});
    for (int p = 0; p < 128; ++p) r.programs.push_back(p);
    for (int v = 1; v <= 127; ++v) r.velocities.push_back(v);
    r.sampleRateHz = 48000;
    r.clipSeconds = 4;
    refused(r, "set a limit");
}

TEST(AudioDataset, MissingPackagesNameThem) {
    AudioDatasetRequest r;
    r.sources = "hydrogen";
    r.hydrogenDir = "/nonexistent/drumkits";
    ErrorKind kind = ErrorKind::Invalid;
    EXPECT_TRUE(contains(errorMessage(r, &kind), "hydrogen-drumkits"));
    EXPECT_EQ(kind, ErrorKind::Io);
    r.sources = "fluidsynth";
    r.soundFont = "/nonexistent/x.sf2";
    EXPECT_TRUE(contains(errorMessage(r, &kind), "fluid-soundfont-gm"));
    r.sources = "sonic-pi";
    r.sonicPiDir = "/nonexistent/samples";
    EXPECT_TRUE(contains(errorMessage(r, &kind), "sonic-pi-samples"));
}

// -------------------------------------------------------------- fluidsynth

TEST(AudioDataset, RenderingIsDeterministic) {
    AudioDatasetRequest r = notesRequest({0, 73}, 60, 62, {64, 127});
    r.drumKits = {0};
    const AudioDataset a = loadAudioDataset(r);
    const AudioDataset b = loadAudioDataset(r);
    ASSERT_EQ(a.size(), b.size());
    ASSERT_GT(a.size(), 12);  // 2 × 3 × 2 notes and the drum keys
    for (std::size_t i = 0; i < a.examples.size(); ++i) {
        EXPECT_EQ(a.examples[i].key, b.examples[i].key);
        EXPECT_TRUE(a.examples[i].samples == b.examples[i].samples) << a.examples[i].key;
    }
    // A note does not depend on what was rendered before it: flute 62/127
    // follows flute 62/64 (same voice gains), piano 61/64 follows 60/127,
    // which is still ringing when its clip ends.
    for (const auto& [program, key, velocity] : {std::tuple{73, 62, 127}, std::tuple{0, 61, 64}}) {
        const AudioDataset alone = loadAudioDataset(notesRequest({program}, key, key, {velocity}));
        ASSERT_EQ(alone.size(), 1);
        const AudioExample* same = findKey(a, alone.examples[0].key);
        ASSERT_NE(same, nullptr);
        EXPECT_TRUE(same->samples == alone.examples[0].samples) << alone.examples[0].key;
    }

    // Labels, lengths and levels.
    ASSERT_EQ(a.classNames.size(), std::size_t(kDrumClassCount + 2));
    EXPECT_EQ(a.classNames[kDrumClassCount], "Acoustic Grand Piano");
    EXPECT_EQ(a.classNames[kDrumClassCount + 1], "Flute");
    std::map<int, double> peakByVelocity;
    std::set<int> classes;
    for (const AudioExample& e : a.examples) {
        ASSERT_EQ(e.samples.size(), std::size_t(a.clipFrames));
        EXPECT_EQ(e.license, "MIT");
        EXPECT_TRUE(contains(e.credit, "Frank Wen"));
        EXPECT_LE(peakOf(e.samples.data(), e.samples.size()), 1.0f);
        EXPECT_GT(peakOf(e.samples.data(), e.samples.size()), 0.003f) << e.key;
        classes.insert(e.classId);
        if (e.midiPitch >= 0) {
            EXPECT_TRUE(contains(e.source, "fluidsynth:FluidR3_GM program ")) << e.source;
            peakByVelocity[e.velocity] =
                std::max(peakByVelocity[e.velocity], double(peakOf(e.samples.data(), e.samples.size())));
        } else {
            EXPECT_LT(e.classId, kDrumClassCount);
            EXPECT_TRUE(contains(e.source, "drum kit 0 'Standard' key ")) << e.source;
        }
    }
    // Velocity sets the level (no normalisation of notes).
    EXPECT_GT(peakByVelocity[127], 1.5 * peakByVelocity[64]);
    EXPECT_GE(classes.size(), 8u);  // kick, snare, hats, toms, … and the two instruments
    EXPECT_EQ(a.sampleRateHz, 16000);
    EXPECT_EQ(a.clipFrames, 16000);
    ASSERT_EQ(a.credits.size(), 1u);
    EXPECT_EQ(a.credits[0].clips, a.size());
}

TEST(AudioDataset, RenderedNotesHaveTheirPitch) {
    // Piano, strings, flute over MIDI 36–84: estimated f0 within ±10 cents,
    // except two string notes whose FluidR3_GM samples are themselves flat.
    // "Strings" plays keys 38–40 from its sample "Strings E3" (root key 40)
    // and 52–54 from "Strings E4" (root 52), with no pitch correction or fine
    // tune for them in the SoundFont. Read straight from the .sf2 (32 kHz, no
    // FluidSynth; estimateF0 at 0.25–0.75 s, left/right) E3 is −13/−12 cents
    // and E4 −6/−17, and a harmonic-peak fit agrees (−12/−9, −3/−13); the
    // neighbouring samples read within ±5. Rendered, keys 38–40 read −14 to
    // −15 cents and 52–54 −19 to −20, while every other key 36–84 of the three
    // presets reads within ±9.5. Those two notes are expected 15 ± 10 flat.
    const std::map<std::string, double> flatSamples = {{"fluidsynth/FluidR3_GM/0/48/40/100", -15.0},
                                                       {"fluidsynth/FluidR3_GM/0/48/53/100", -15.0}};
    const std::vector<int> pitches = {36, 40, 43, 48, 53, 57, 60, 64, 67, 72, 76, 79, 84};
    AudioDatasetRequest r = notesRequest({0, 48, 73}, 36, 84, {100});
    const AudioDataset d = loadAudioDataset(r);
    ASSERT_EQ(d.size(), 3 * 49);
    int checked = 0;
    for (const AudioExample& e : d.examples) {
        if (std::find(pitches.begin(), pitches.end(), e.midiPitch) == pitches.end()) continue;
        const double f0 = estimateF0(e.samples.data(), int(e.samples.size()), d.sampleRateHz);
        const double cents = centsBetween(f0, midiToHz(e.midiPitch));
        const auto flat = flatSamples.find(e.key);
        const double expected = flat == flatSamples.end() ? 0.0 : flat->second;
        EXPECT_NEAR(cents, expected, 10.0) << d.classNames[std::size_t(e.classId)] << " " << midiNoteName(e.midiPitch)
                                           << ": f0 " << f0 << " Hz";
        ++checked;
    }
    EXPECT_EQ(checked, 3 * int(pitches.size()));
    // A brighter instrument has a higher centroid than a flute at one pitch.
    const AudioExample* flute = findKey(d, "fluidsynth/FluidR3_GM/0/73/60/100");
    const AudioExample* strings = findKey(d, "fluidsynth/FluidR3_GM/0/48/60/100");
    ASSERT_TRUE(flute && strings);
    EXPECT_GT(spectralCentroid(strings->samples.data(), d.clipFrames, d.sampleRateHz),
              spectralCentroid(flute->samples.data(), d.clipFrames, d.sampleRateHz));
}

TEST(AudioDataset, SplitIsDeterministicAndDisjoint) {
    AudioDatasetRequest r = notesRequest({0, 24}, 40, 70, {64, 100, 127});
    r.sources = "fluidsynth,sonic-pi";
    r.sampleRateHz = 8000;
    r.clipSeconds = 0.25;
    auto keys = [&](const std::string& split) {
        r.split = split;
        std::set<std::string> out;
        for (const AudioExample& e : loadAudioDataset(r).examples) out.insert(e.key);
        return out;
    };
    const std::set<std::string> train = keys("train"), test = keys("test"), all = keys("all");
    EXPECT_EQ(keys("test"), test);
    for (const std::string& k : test) EXPECT_EQ(train.count(k), 0u) << k;
    EXPECT_EQ(train.size() + test.size(), all.size());
    const double share = double(test.size()) / double(all.size());
    EXPECT_GT(share, 0.05);
    EXPECT_LT(share, 0.16);
    for (const std::string& k : test) EXPECT_TRUE(isTestKey(k));
    // Same items, same sides, whatever else the request holds.
    r.programs = {24};
    r.split = "test";
    for (const AudioExample& e : loadAudioDataset(r).examples) EXPECT_EQ(test.count(e.key), 1u) << e.key;
}

TEST(AudioDataset, LimitSamplesAcrossSources) {
    AudioDatasetRequest r = notesRequest({0, 24, 73}, 36, 84, {64, 100, 127});
    r.sources = "fluidsynth,sonic-pi";
    r.sampleRateHz = 8000;
    r.clipSeconds = 0.25;
    r.limit = 40;
    const AudioDataset a = loadAudioDataset(r);
    EXPECT_EQ(a.size(), 40);
    std::set<int> classes;
    for (const AudioExample& e : a.examples) classes.insert(e.classId);
    EXPECT_GE(classes.size(), 4u);
    const AudioDataset b = loadAudioDataset(r);
    ASSERT_EQ(b.size(), 40);
    for (std::size_t i = 0; i < a.examples.size(); ++i) EXPECT_EQ(a.examples[i].key, b.examples[i].key);
    EXPECT_TRUE(anyNotice(a.notices, "limit: 40 of"));
}

// ---------------------------------------------------------------- hydrogen

TEST(Hydrogen, PackageKitsMappedWithLicences) {
    AudioDatasetRequest r;
    r.sources = "hydrogen";
    r.split = "all";
    const auto t0 = std::chrono::steady_clock::now();
    const AudioDataset d = loadAudioDataset(r);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "hydrogen: " << d.size() << " one-shots in " << seconds << " s\n";
    EXPECT_GE(d.size(), 600) << joined(d.notices);
    std::map<std::string, std::string> licenceByKit;
    std::map<std::string, std::int64_t> clipsByKit;
    for (const AudioCredit& c : d.credits) {
        licenceByKit[c.source] = c.license;
        clipsByKit[c.source] += c.clips;
        EXPECT_FALSE(c.license.empty()) << c.source;
        EXPECT_FALSE(contains(c.license, "unknown")) << c.source;
        EXPECT_FALSE(c.credit.empty()) << c.source;
        EXPECT_FALSE(contains(c.credit, "unknown")) << c.source;
    }
    EXPECT_EQ(licenceByKit.size(), 14u);
    EXPECT_EQ(licenceByKit["hydrogen:Audiophob"], "CC0");
    EXPECT_EQ(licenceByKit["hydrogen:The Black Pearl 1.0"], "GPL-2");
    EXPECT_EQ(licenceByKit["hydrogen:rumpf_kit_z01_h2"], "CC-BY-3.0");
    EXPECT_EQ(licenceByKit["hydrogen:circAfrique v4"], "CC-BY-SA-3.0");
    EXPECT_EQ(licenceByKit["hydrogen:HardElectro1"], "GPL-2+");
    for (const auto& [kit, n] : clipsByKit) EXPECT_GT(n, 0) << kit;
    // Every clip: its kit's licence and credit, a drum class, no pitch, a
    // velocity from its layer, loudness brought to the common level.
    const double ceiling = std::pow(10.0, -1.0 / 20.0) + 1e-4;
    std::vector<std::int64_t> counts = d.countsPerClass();
    for (const AudioExample& e : d.examples) {
        ASSERT_EQ(e.samples.size(), std::size_t(d.clipFrames));
        EXPECT_LT(e.classId, kDrumClassCount);
        EXPECT_EQ(e.midiPitch, -1);
        EXPECT_GE(e.velocity, 1);
        EXPECT_TRUE(contains(e.source, "hydrogen:"));
        const float peak = peakOf(e.samples.data(), e.samples.size());
        const double rmsDb = 20.0 * std::log10(rmsOf(e.samples.data(), std::size_t(d.sampleRateHz / 5)));
        EXPECT_LE(peak, ceiling) << e.key;
        // At the RMS target, or held back by the peak ceiling.
        EXPECT_TRUE(std::fabs(rmsDb + 20.0) < 0.1 || peak > ceiling - 2e-3) << e.key << " " << rmsDb << " " << peak;
    }
    for (const char* cls : {"kick", "snare", "closed hat", "open hat", "tom", "crash", "ride", "perc", "hand drum"}) {
        const auto it = std::find(d.classNames.begin(), d.classNames.end(), cls);
        ASSERT_NE(it, d.classNames.end());
        EXPECT_GE(counts[std::size_t(it - d.classNames.begin())], 10) << cls;
    }
    EXPECT_TRUE(anyNotice(d.notices, "not mapped to a drum class")) << joined(d.notices);
}

TEST(Hydrogen, BadKitsGiveNoticesNotCrashes) {
    test::TempDir tmp;
    const fs::path root = tmp.path() / "drumkits";
    // A good kit: one kick (a decaying tone) and one silent layer.
    writeText(root / "Good" / "drumkit.xml", R"(<?xml version="1.0"?>
<drumkit_info xmlns="http://www.hydrogen-music.org/drumkit">
 <name>Good Kit</name><author>Test Author</author><license>CC0</license>
 <instrumentList>
  <instrument><name>Kick</name>
   <layer><filename>kick.wav</filename><min>0</min><max>0.5</max></layer>
   <layer><filename>kick.wav</filename><min>0.5</min><max>1</max></layer>
  </instrument>
  <instrument><name>Snare</name><instrumentComponent>
   <layer><filename>quiet.wav</filename></layer></instrumentComponent></instrument>
  <instrument><name>Zap 1</name><filename>kick.wav</filename></instrument>
  <instrument><name>Tom</name><layer><filename>not-audio.wav</filename></layer></instrument>
 </instrumentList>
</drumkit_info>)");
    writeWav(root / "Good" / "kick.wav", decayingTone(60.0, 22050, 0.5, 0.05), 22050);
    writeWav(root / "Good" / "quiet.wav", std::vector<float>(4000, 0.0f), 22050);
    writeText(root / "Good" / "not-audio.wav", "RIFF but not really a wave file at all");
    // Malformed XML, an empty file, binary junk, no <drumkit_info>.
    writeText(root / "Broken" / "drumkit.xml", "<drumkit_info><name>Broken</name><instrumentList><instrument>");
    writeText(root / "Empty" / "drumkit.xml", "");
    writeText(root / "Junk" / "drumkit.xml", std::string("\x00\xff\xfe<<<\x01", 8));
    writeText(root / "Other" / "drumkit.xml", "<?xml version=\"1.0\"?><song><name>x</name></song>");
    // Files missing or pointing outside the kit.
    writeText(root / "Missing" / "drumkit.xml", R"(<drumkit_info><name>Missing</name><instrumentList>
  <instrument><name>Kick</name><layer><filename>gone.wav</filename></layer>
   <layer><filename>../Good/kick.wav</filename></layer>
   <layer><filename>/etc/passwd</filename></layer>
   <layer><filename></filename></layer></instrument>
  <instrument><name>Crash</name><layer><filename>gone2.flac</filename><min>abc</min><max>1e999</max></layer></instrument>
 </instrumentList></drumkit_info>)");
    fs::create_directories(root / "NoXml");

    AudioDatasetRequest r;
    r.sources = "hydrogen";
    r.split = "all";
    r.hydrogenDir = root;
    r.hydrogenCopyright = tmp.path() / "no-copyright-file";
    AudioDataset d;
    ASSERT_NO_THROW(d = loadAudioDataset(r));
    ASSERT_EQ(d.size(), 1) << joined(d.notices);
    const AudioExample& kick = d.examples[0];
    EXPECT_EQ(d.classNames[std::size_t(kick.classId)], "kick");
    EXPECT_EQ(kick.key, "hydrogen/Good/kick.wav");
    EXPECT_EQ(kick.license, "CC0");  // drumkit.xml's, without a copyright file
    EXPECT_EQ(kick.credit, "Test Author");
    EXPECT_EQ(kick.velocity, 32);   // the first layer's velocity range, 0–0.5
    // A quiet recording brought up to the common loudness: RMS of its first
    // 200 ms at −20 dBFS.
    EXPECT_NEAR(20.0 * std::log10(rmsOf(kick.samples.data(), std::size_t(d.sampleRateHz / 5))), -20.0, 0.1);
    const std::string all = joined(d.notices);
    EXPECT_TRUE(contains(all, "Broken")) << all;
    EXPECT_TRUE(contains(all, "not valid XML")) << all;
    EXPECT_TRUE(contains(all, "Empty")) << all;
    EXPECT_TRUE(contains(all, "Junk")) << all;
    EXPECT_TRUE(contains(all, "no <drumkit_info>")) << all;
    EXPECT_TRUE(contains(all, "'Missing': 2 layer file(s) named in drumkit.xml are missing")) << all;
    EXPECT_TRUE(contains(all, "point outside the kit folder")) << all;
    EXPECT_TRUE(contains(all, "'Zap 1'")) << all;
    EXPECT_TRUE(contains(all, "silent clip")) << all;
    EXPECT_TRUE(contains(all, "could not be decoded")) << all;

    // The parser directly: an instrument with a missing file keeps no layer.
    std::vector<std::string> notices;
    const HydrogenKit missing = loadHydrogenKit(root / "Missing", &notices);
    ASSERT_EQ(missing.instruments.size(), 2u);
    EXPECT_TRUE(missing.instruments[0].layers.empty());
    EXPECT_THROW(loadHydrogenKit(root / "NoXml"), Error);
    EXPECT_THROW(loadHydrogenKit(root / "Broken"), Error);
}

TEST(Hydrogen, DebianCopyrightLookup) {
    const DebianCopyright c = DebianCopyright::parse(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        "Files: *\nCopyright: 2016 Someone <a@b>\nLicense: MIT\n\n"
        "Files:\n drumkits/A.h2drumkit\n drumkits/Gimme?A?Hand?1.0.h2drumkit\n"
        "Copyright: Glen\n 2017 Other\nLicense: GPL-2\nComment:\n some text\n\n"
        "License: GPL-2\n the licence text\n");
    ASSERT_EQ(c.stanzas().size(), 2u);
    auto g = c.find("drumkits/Gimme A Hand 1.0.h2drumkit");
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(g->license, "GPL-2");
    EXPECT_EQ(g->copyright, "Glen; 2017 Other");
    auto other = c.find("etc/samples/x.flac");
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(other->license, "MIT");
    EXPECT_TRUE(copyrightGlobMatch("a*c", "abbbc"));
    EXPECT_FALSE(copyrightGlobMatch("a?c", "abbc"));
    EXPECT_TRUE(DebianCopyright::parse("").empty());
    EXPECT_TRUE(DebianCopyright::parse(std::string(1000, ':')).empty());
}
