#include "AudioDataset.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "ClipShaping.h"
#include "DebianCopyright.h"
#include "DrumClass.h"
#include "FluidRenderer.h"
#include "GeneralMidi.h"
#include "HydrogenKit.h"
#include "SonicPiSamples.h"
#include "latent/Error.h"
#include "latent/media/AudioFile.h"

namespace latent::audio {

namespace fs = std::filesystem;

std::vector<int> AudioDatasetRequest::defaultPrograms() { return {0, 4, 11, 16, 24, 33, 48, 56, 65, 73, 80, 89}; }
std::vector<int> AudioDatasetRequest::defaultVelocities() { return {64, 100, 127}; }
std::vector<int> AudioDatasetRequest::defaultDrumKits() { return {0, 8, 16, 24, 25, 32, 40}; }

std::vector<std::int64_t> AudioDataset::countsPerClass() const {
    std::vector<std::int64_t> counts(classNames.size(), 0);
    for (const AudioExample& e : examples)
        if (e.classId >= 0 && std::size_t(e.classId) < counts.size()) ++counts[std::size_t(e.classId)];
    return counts;
}

namespace {

constexpr int kMinRate = 8000;
constexpr int kMaxRate = 48000;
constexpr double kMinClipSeconds = 0.1;
constexpr double kMaxClipSeconds = 4.0;
constexpr std::int64_t kMaxLimit = 1'000'000;
constexpr std::uint64_t kMaxDatasetBytes = 2ull << 30;
constexpr double kMaxFileSeconds = 60.0;  // one-shots; longer files are not one
// FluidSynth's master gain: FluidR3's loudest default notes (velocity 127)
// peak near −3 dBFS at 0.5; the rare louder one is clipped and counted.
constexpr double kSynthGain = 0.5;
// Notes are held for this share of the clip, then released.
constexpr double kHoldShare = 0.75;
// Extra frames rendered before trimming (the attack's first silent samples).
constexpr double kPreRollSeconds = 0.05;
// File one-shots: RMS of the first 200 ms → −20 dBFS, peak ≤ −1 dBFS.
constexpr double kLoudnessWindowSeconds = 0.2;
constexpr double kTargetRmsDbfs = -20.0;
constexpr double kPeakCeilingDbfs = -1.0;

std::uint64_t hashKey(const std::string& key, std::uint64_t salt) {
    std::uint64_t h = 1469598103934665603ull ^ salt;
    for (const unsigned char c : key) {
        h ^= c;
        h *= 1099511628211ull;
    }
    // splitmix64 finaliser: spreads FNV's low bits.
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

std::string alnumLower(const std::string& s) {
    std::string out;
    for (const unsigned char c : s)
        if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
    return out;
}

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// Counts identical messages; emits "message (N times)" in first-seen order.
class NoticeCounter {
public:
    void add(const std::string& m) {
        auto [it, inserted] = m_counts.emplace(m, 0);
        if (inserted) m_order.push_back(m);
        ++it->second;
    }
    void flushInto(std::vector<std::string>& out, const std::string& suffix) {
        for (const std::string& m : m_order) {
            const std::int64_t n = m_counts[m];
            out.push_back(n > 1 ? m + " (" + std::to_string(n) + " " + suffix + ")" : m);
        }
        m_counts.clear();
        m_order.clear();
    }

private:
    std::map<std::string, std::int64_t> m_counts;
    std::vector<std::string> m_order;
};

// One item to produce, described before any rendering or decoding so that
// the split and the limit cost nothing.
struct Candidate {
    std::string key;
    int classId = -1;
    int midiPitch = -1;
    int velocity = 0;
    std::string source;
    std::string license;
    std::string credit;
    std::string creditSource;  // AudioCredit::source
    std::string licenseAsGiven;
    bool isNote = false;
    FluidNote note;
    fs::path file;
};

struct Sources {
    bool fluidsynth = false;
    bool hydrogen = false;
    bool sonicPi = false;
};

Sources parseSources(const std::string& text) {
    Sources s;
    std::stringstream in(text);
    std::string item;
    int count = 0;
    while (std::getline(in, item, ',')) {
        const std::string name = lower(trim(item));
        if (name.empty()) continue;
        ++count;
        if (name == "fluidsynth")
            s.fluidsynth = true;
        else if (name == "hydrogen")
            s.hydrogen = true;
        else if (name == "sonic-pi" || name == "sonicpi")
            s.sonicPi = true;
        else
            throw Error(ErrorKind::BadArgument, "unknown audio data source " + inQuotes(name) +
                                                    "; the sources are fluidsynth, hydrogen and sonic-pi");
    }
    if (count == 0)
        throw Error(ErrorKind::BadArgument, "no audio data source given; the sources are fluidsynth, hydrogen and sonic-pi");
    return s;
}

std::vector<int> uniqueInOrder(const std::vector<int>& v) {
    std::vector<int> out;
    for (int x : v)
        if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    return out;
}

void validate(const AudioDatasetRequest& r) {
    if (r.sampleRateHz < kMinRate || r.sampleRateHz > kMaxRate)
        throw Error(ErrorKind::BadArgument, "audio data sample rate " + std::to_string(r.sampleRateHz) +
                                                " Hz is outside 8000–48000 Hz");
    if (!std::isfinite(r.clipSeconds) || r.clipSeconds < kMinClipSeconds || r.clipSeconds > kMaxClipSeconds) {
        std::ostringstream m;
        m << "audio clip length " << r.clipSeconds << " s is outside 0.1–4 s";
        throw Error(ErrorKind::BadArgument, m.str());
    }
    const std::string split = lower(r.split);
    if (split != "train" && split != "test" && split != "all")
        throw Error(ErrorKind::BadArgument, "unknown split " + inQuotes(r.split) + "; use train, test or all");
    if (r.limit < 0 || r.limit > kMaxLimit)
        throw Error(ErrorKind::BadArgument, "audio data limit " + std::to_string(r.limit) + " is outside 0–" +
                                                std::to_string(kMaxLimit) + " (0 = all)");
    if (r.lowestPitch < 0 || r.highestPitch > 127 || r.lowestPitch > r.highestPitch)
        throw Error(ErrorKind::BadArgument, "pitch range " + std::to_string(r.lowestPitch) + "–" +
                                                std::to_string(r.highestPitch) +
                                                " is not a MIDI range (0–127, lowest first)");
    for (int p : r.programs)
        if (p < 0 || p > 127)
            throw Error(ErrorKind::BadArgument,
                        "GM program " + std::to_string(p) + " is outside 0–127 (0 = Acoustic Grand Piano)");
    for (int v : r.velocities)
        if (v < 1 || v > 127) throw Error(ErrorKind::BadArgument, "velocity " + std::to_string(v) + " is outside 1–127");
    if (r.programs.size() > 128 || r.velocities.size() > 127)
        throw Error(ErrorKind::BadArgument, "too many programs or velocities");
    for (int k : r.drumKits)
        if (k < -1 || k > 127)
            throw Error(ErrorKind::BadArgument, "GM drum kit " + std::to_string(k) + " is outside 0–127 (-1 = none)");
}

// ---------------------------------------------------------------- fluidsynth

void addFluidCandidates(const AudioDatasetRequest& r, FluidRenderer& synth, const std::vector<int>& programs,
                        int clipFrames, std::vector<Candidate>& out, std::vector<std::string>& notices) {
    const std::string sf = synth.soundFontName();
    const bool fluidR3 = sf == "FluidR3_GM";
    const std::string license = fluidR3 ? "MIT" : "unknown (user SoundFont)";
    const std::string credit = fluidR3 ? "Frank Wen and contributors (FluidR3_GM SoundFont, fluid-soundfont-gm)"
                                       : "SoundFont " + sf;
    const std::vector<int> velocities = r.velocities.empty() ? AudioDatasetRequest::defaultVelocities()
                                                             : uniqueInOrder(r.velocities);
    const int preRoll = int(std::lround(kPreRollSeconds * r.sampleRateHz));
    const int hold = int(std::lround(kHoldShare * clipFrames));
    for (std::size_t i = 0; i < programs.size(); ++i) {
        const int program = programs[i];
        if (synth.presetName(0, program).empty()) {
            notices.push_back("fluidsynth: " + sf + " has no preset for GM program " + std::to_string(program) +
                              " " + inQuotes(gmProgramName(program)) + ", its class has no examples");
            continue;
        }
        const std::string source =
            "fluidsynth:" + sf + " program " + std::to_string(program) + " " + inQuotes(gmProgramName(program));
        for (int key = r.lowestPitch; key <= r.highestPitch; ++key) {
            for (int vel : velocities) {
                Candidate c;
                c.key = "fluidsynth/" + sf + "/0/" + std::to_string(program) + "/" + std::to_string(key) + "/" +
                        std::to_string(vel);
                c.classId = kDrumClassCount + int(i);
                c.midiPitch = key;
                c.velocity = vel;
                c.source = source;
                c.license = license;
                c.credit = credit;
                c.creditSource = "fluidsynth:" + sf;
                c.isNote = true;
                c.note = {0, program, key, vel, hold, clipFrames + preRoll};
                out.push_back(std::move(c));
            }
        }
    }
    std::vector<int> kits = r.drumKits.empty() ? AudioDatasetRequest::defaultDrumKits() : uniqueInOrder(r.drumKits);
    kits.erase(std::remove(kits.begin(), kits.end(), -1), kits.end());
    for (int kit : kits) {
        const std::string kitName = synth.presetName(128, kit);
        if (kitName.empty()) {
            notices.push_back("fluidsynth: " + sf + " has no GM drum kit " + std::to_string(kit) + ", skipped");
            continue;
        }
        for (int key = 35; key <= 81; ++key) {
            const DrumClass cls = gmDrumKeyClass(key);
            if (cls == DrumClass::Invalid) continue;
            for (int vel : velocities) {
                Candidate c;
                c.key = "fluidsynth/" + sf + "/128/" + std::to_string(kit) + "/" + std::to_string(key) + "/" +
                        std::to_string(vel);
                c.classId = int(cls) - 1;
                c.midiPitch = -1;
                c.velocity = vel;
                c.source = "fluidsynth:" + sf + " drum kit " + std::to_string(kit) + " " + inQuotes(kitName) + " key " +
                           std::to_string(key) + " " + inQuotes(gmDrumKeyName(key));
                c.license = license;
                c.credit = credit;
                c.creditSource = "fluidsynth:" + sf;
                c.isNote = true;
                // Held like a note: FluidSynth honours note-off on channel 10,
                // which would cut a cymbal's ring short.
                c.note = {128, kit, key, vel, hold, clipFrames + preRoll};
                out.push_back(std::move(c));
            }
        }
    }
}

// ------------------------------------------------------------------ hydrogen

// The copyright stanza of a kit folder: "drumkits/<folder>.h2drumkit", else
// the stanza whose kit name is the longest prefix of the folder's (Debian
// names "circAfrique v4" drumkits/circAfrique.h2drumkit).
std::optional<CopyrightStanza> kitStanza(const DebianCopyright& copyright, const HydrogenKit& kit) {
    if (auto s = copyright.find("drumkits/" + kit.folderName + ".h2drumkit")) return s;
    const std::string folder = alnumLower(kit.folderName);
    std::optional<CopyrightStanza> best;
    std::size_t bestLen = 0;
    for (const CopyrightStanza& st : copyright.stanzas()) {
        for (const std::string& pat : st.files) {
            const std::string prefix = "drumkits/";
            const std::string suffix = ".h2drumkit";
            if (pat.size() <= prefix.size() + suffix.size() || pat.compare(0, prefix.size(), prefix) != 0 ||
                pat.compare(pat.size() - suffix.size(), suffix.size(), suffix) != 0)
                continue;
            const std::string stem = alnumLower(pat.substr(prefix.size(), pat.size() - prefix.size() - suffix.size()));
            if (!stem.empty() && folder.compare(0, stem.size(), stem) == 0 && stem.size() > bestLen) {
                best = st;
                bestLen = stem.size();
            }
        }
    }
    return best;
}

void addHydrogenCandidates(const AudioDatasetRequest& r, std::vector<Candidate>& out,
                           std::vector<std::string>& notices) {
    std::error_code ec;
    if (!fs::is_directory(r.hydrogenDir, ec))
        throw Error(ErrorKind::Io, r.hydrogenDir.string() +
                                       ": no Hydrogen drum kits here (Debian package hydrogen-drumkits provides them)");
    const DebianCopyright copyright = DebianCopyright::load(r.hydrogenCopyright, &notices);
    const std::vector<fs::path> folders = hydrogenKitFolders(r.hydrogenDir);
    if (folders.empty()) notices.push_back("hydrogen: no kit folder with a drumkit.xml under " + r.hydrogenDir.string());
    for (const fs::path& dir : folders) {
        HydrogenKit kit;
        try {
            kit = loadHydrogenKit(dir, &notices);
        } catch (const Error& e) {
            notices.push_back("hydrogen: kit skipped: " + std::string(e.what()));
            continue;
        }
        const std::optional<CopyrightStanza> st = kitStanza(copyright, kit);
        std::string license = st && !st->license.empty() ? st->license : kit.license;
        if (license.empty()) license = "unknown (see " + r.hydrogenCopyright.string() + ")";
        std::string credit = st && !st->copyright.empty() ? st->copyright : kit.author;
        if (st && !kit.author.empty() && st->copyright.find(kit.author) == std::string::npos)
            credit += " (drumkit.xml author: " + kit.author + ")";
        if (credit.empty()) credit = "unknown author";
        const std::string asGiven = kit.license != license ? kit.license : std::string();

        std::set<std::string> seenFiles;
        std::vector<std::string> unmapped;
        for (const HydrogenInstrument& inst : kit.instruments) {
            if (inst.layers.empty()) continue;
            const DrumClass cls = drumClassForName(inst.name);
            if (cls == DrumClass::Invalid) {
                unmapped.push_back(inst.name.empty() ? std::string("(unnamed)") : inst.name);
                continue;
            }
            for (const HydrogenLayer& layer : inst.layers) {
                if (!seenFiles.insert(layer.fileName).second) continue;  // one file, one example
                Candidate c;
                c.key = "hydrogen/" + kit.folderName + "/" + layer.fileName;
                c.classId = int(cls) - 1;
                c.midiPitch = -1;
                c.velocity = std::clamp(int(std::lround(63.5 * (layer.minVelocity + layer.maxVelocity))), 1, 127);
                c.source = "hydrogen:" + kit.folderName + "/" + inst.name + "/" + layer.fileName;
                c.license = license;
                c.credit = credit;
                c.creditSource = "hydrogen:" + kit.folderName;
                c.licenseAsGiven = asGiven;
                c.file = layer.file;
                out.push_back(std::move(c));
            }
        }
        if (!unmapped.empty()) {
            std::string list;
            for (std::size_t i = 0; i < unmapped.size() && i < 6; ++i) list += (i ? ", " : "") + inQuotes(unmapped[i]);
            if (unmapped.size() > 6) list += ", …";
            notices.push_back("hydrogen kit " + inQuotes(kit.folderName) + ": " + std::to_string(unmapped.size()) +
                              " instrument(s) not mapped to a drum class, skipped: " + list);
        }
    }
}

// ------------------------------------------------------------------ sonic-pi

void addSonicPiCandidates(const AudioDatasetRequest& r, std::vector<Candidate>& out,
                          std::vector<std::string>& notices) {
    std::error_code ec;
    if (!fs::is_directory(r.sonicPiDir, ec))
        throw Error(ErrorKind::Io, r.sonicPiDir.string() +
                                       ": no Sonic Pi samples here (Debian package sonic-pi-samples provides them)");
    const DebianCopyright copyright = DebianCopyright::load(r.sonicPiCopyright, &notices);
    std::vector<fs::path> files;
    for (fs::directory_iterator it(r.sonicPiDir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code e2;
        if (it->is_regular_file(e2) && lower(it->path().extension().string()) == ".flac") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, int> skipped;
    for (const fs::path& f : files) {
        const std::string stem = f.stem().string();
        const SonicPiLabel label = sonicPiLabel(stem);
        if (label.drumClass == DrumClass::Invalid) {
            ++skipped[label.skipReason];
            continue;
        }
        // Debian's copyright file lists each sample under etc/samples/.
        const std::optional<CopyrightStanza> st = copyright.find("etc/samples/" + f.filename().string());
        Candidate c;
        c.key = "sonic-pi/" + f.filename().string();
        c.classId = int(label.drumClass) - 1;
        c.midiPitch = -1;
        c.velocity = label.velocity;
        c.source = "sonic-pi:" + stem;
        c.license = st && !st->license.empty() ? st->license : "unknown (see " + r.sonicPiCopyright.string() + ")";
        c.credit = st && !st->copyright.empty() ? st->copyright : "Sonic Pi (Samuel Aaron)";
        if (st && !st->source.empty()) c.credit += ", " + st->source;
        c.creditSource = "sonic-pi";
        c.file = f;
        out.push_back(std::move(c));
    }
    if (!skipped.empty()) {
        std::string list;
        int total = 0;
        for (const auto& [reason, n] : skipped) {
            list += (list.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
            total += n;
        }
        notices.push_back("sonic-pi: " + std::to_string(total) + " clips are not one-shot drums, skipped (" + list + ")");
    }
}

// --------------------------------------------------------------- production

void addCredit(std::vector<AudioCredit>& credits, const Candidate& c) {
    for (AudioCredit& a : credits) {
        if (a.source == c.creditSource && a.license == c.license && a.credit == c.credit) {
            ++a.clips;
            return;
        }
    }
    credits.push_back({c.creditSource, c.license, c.credit, c.licenseAsGiven, 1});
}

}  // namespace

bool isTestKey(const std::string& key) { return hashKey(key, 0x51u) % 10 == 0; }

AudioDataset loadAudioDataset(const AudioDatasetRequest& r) {
    validate(r);
    const Sources sources = parseSources(r.sources);
    const std::string split = lower(r.split);

    AudioDataset ds;
    ds.sampleRateHz = r.sampleRateHz;
    ds.clipFrames = int(std::lround(r.clipSeconds * r.sampleRateHz));
    ds.classNames = drumClassNames();
    const std::vector<int> programs =
        r.programs.empty() ? AudioDatasetRequest::defaultPrograms() : uniqueInOrder(r.programs);
    if (sources.fluidsynth)
        for (int p : programs) ds.classNames.emplace_back(gmProgramName(p));

    std::vector<Candidate> candidates;
    std::unique_ptr<FluidRenderer> synth;
    if (sources.fluidsynth) {
        std::error_code ec;
        if (!fs::is_regular_file(r.soundFont, ec))
            throw Error(ErrorKind::Io, r.soundFont.string() +
                                           ": SoundFont not found (Debian package fluid-soundfont-gm provides "
                                           "/usr/share/sounds/sf2/FluidR3_GM.sf2)");
        synth = std::make_unique<FluidRenderer>(r.soundFont, r.sampleRateHz, kSynthGain);
        addFluidCandidates(r, *synth, programs, ds.clipFrames, candidates, ds.notices);
    }
    if (sources.hydrogen) addHydrogenCandidates(r, candidates, ds.notices);
    if (sources.sonicPi) addSonicPiCandidates(r, candidates, ds.notices);

    // The split, then the limit, both by fixed hashes of the keys.
    if (split != "all") {
        const bool wantTest = split == "test";
        std::erase_if(candidates, [&](const Candidate& c) { return isTestKey(c.key) != wantTest; });
    }
    if (r.limit > 0 && std::int64_t(candidates.size()) > r.limit) {
        std::vector<std::pair<std::uint64_t, std::size_t>> order;
        order.reserve(candidates.size());
        for (std::size_t i = 0; i < candidates.size(); ++i) order.emplace_back(hashKey(candidates[i].key, 0x11u), i);
        std::nth_element(order.begin(), order.begin() + r.limit, order.end());
        std::vector<char> keep(candidates.size(), 0);
        for (std::int64_t i = 0; i < r.limit; ++i) keep[order[std::size_t(i)].second] = 1;
        std::vector<Candidate> kept;
        kept.reserve(std::size_t(r.limit));
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (keep[i]) kept.push_back(std::move(candidates[i]));
        ds.notices.push_back("limit: " + std::to_string(r.limit) + " of " + std::to_string(candidates.size()) +
                             " clips kept");
        candidates = std::move(kept);
    }
    const std::uint64_t bytes = std::uint64_t(candidates.size()) * std::uint64_t(ds.clipFrames) * sizeof(float);
    if (bytes > kMaxDatasetBytes) {
        std::ostringstream m;
        m.precision(3);
        m << "this audio data set would hold " << candidates.size() << " clips of " << ds.clipFrames
          << " samples (" << double(bytes) / double(1u << 30) << " GiB, more than 2 GiB): set a limit, a lower rate "
          << "or shorter clips";
        throw Error(ErrorKind::BadArgument, m.str());
    }

    ClipShapeOptions shape;
    shape.frames = ds.clipFrames;
    shape.fadeFrames = std::max(1, int(std::lround(0.010 * r.sampleRateHz)));
    const std::size_t loudnessWindow = std::size_t(std::lround(kLoudnessWindowSeconds * r.sampleRateHz));

    NoticeCounter fluidMessages;
    NoticeCounter decodeNotes;
    std::int64_t clipped = 0, silent = 0, unreadable = 0;
    std::string firstSilent, firstUnreadable;
    ds.examples.reserve(candidates.size());
    std::vector<std::string> scratch;
    for (const Candidate& c : candidates) {
        std::vector<float> raw;
        if (c.isNote) {
            scratch.clear();
            raw = synth->render(c.note, &scratch);
            for (const std::string& m : scratch) fluidMessages.add(m);
        } else {
            AudioReadOptions options;
            options.targetRateHz = r.sampleRateHz;
            options.targetChannels = 1;
            options.maxSeconds = kMaxFileSeconds;
            scratch.clear();
            try {
                AudioClip clip = readAudioFile(c.file, options, &scratch);
                raw = std::move(clip.samples);
            } catch (const Error& e) {
                if (unreadable++ == 0) firstUnreadable = e.what();
                continue;
            }
            for (const std::string& m : scratch) decodeNotes.add(m);
        }
        std::vector<float> samples = shapeClip(raw, shape);
        if (samples.empty()) {
            if (silent++ == 0) firstSilent = c.source;
            continue;
        }
        if (c.isNote) {
            bool over = false;
            for (float& v : samples) {
                if (v > 1.0f || v < -1.0f) {
                    over = true;
                    v = std::clamp(v, -1.0f, 1.0f);
                }
            }
            clipped += over ? 1 : 0;
        } else {
            normalizeLoudness(samples, loudnessWindow, kTargetRmsDbfs, kPeakCeilingDbfs);
        }
        AudioExample e;
        e.samples = std::move(samples);
        e.classId = c.classId;
        e.midiPitch = c.midiPitch;
        e.velocity = c.velocity;
        e.key = c.key;
        e.source = c.source;
        e.license = c.license;
        e.credit = c.credit;
        addCredit(ds.credits, c);
        ds.examples.push_back(std::move(e));
    }
    fluidMessages.flushInto(ds.notices, "times");
    decodeNotes.flushInto(ds.notices, "files");
    if (clipped > 0)
        ds.notices.push_back("fluidsynth: " + std::to_string(clipped) + " loud note(s) clipped at full scale");
    if (silent > 0)
        ds.notices.push_back(std::to_string(silent) + " silent clip(s) skipped (first: " + firstSilent + ")");
    if (unreadable > 0)
        ds.notices.push_back(std::to_string(unreadable) + " file(s) could not be decoded, skipped (first: " +
                             firstUnreadable + ")");
    return ds;
}

}  // namespace latent::audio
