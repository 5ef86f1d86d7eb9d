#include "FluidRenderer.h"

#include <algorithm>
#include <cstdio>
#include <mutex>

#include <fluidsynth.h>

#include "latent/Error.h"

namespace latent::audio {

namespace fs = std::filesystem;

namespace {

// FluidSynth renders in blocks of 64 frames (FLUID_BUFSIZE); events such as
// a note-on take effect at the next block. Rendering only whole blocks keeps
// every note's onset on the same phase of that grid.
constexpr int kBlock = 64;
constexpr int kChunkFrames = 64 * kBlock;

int roundUpToBlock(int frames) { return (std::max(frames, 0) + kBlock - 1) / kBlock * kBlock; }

// FluidSynth logs through process-wide functions. Messages go to the notices
// of the render on this thread, if any; otherwise errors reach stderr and the
// rest is dropped.
thread_local std::vector<std::string>* t_capture = nullptr;

void logToCapture(int level, const char* message, void*) {
    if (t_capture != nullptr) {
        if (level <= FLUID_WARN) t_capture->push_back(std::string("fluidsynth: ") + (message ? message : ""));
        return;
    }
    if (level <= FLUID_ERR) std::fprintf(stderr, "fluidsynth: %s\n", message ? message : "");
}

void installLogHandlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG})
            fluid_set_log_function(level, logToCapture, nullptr);
    });
}

struct CaptureScope {
    explicit CaptureScope(std::vector<std::string>* n) : previous(t_capture) { t_capture = n; }
    ~CaptureScope() { t_capture = previous; }
    CaptureScope(const CaptureScope&) = delete;
    CaptureScope& operator=(const CaptureScope&) = delete;
    std::vector<std::string>* previous;
};

}  // namespace

// Each note is rendered on a synth of its own, created for it and deleted
// after it; only the loaded SoundFont is shared. One long-lived synth carries
// state from note to note in FluidSynth 2.3.1, and no public call clears it:
//  - fluid_synth_system_reset() does not silence a previous note that is
//    still ringing. Its all-sounds-off queues "voice off" for each voice, but
//    its set_basic_channel() then sends all-notes-off to every channel, and
//    that voice's queued note-off puts it back into its release phase, so
//    piano, string and cymbal tails sound on into the next note (a flute note
//    after a crash cymbal differed by up to 0.03 of a 0.17 peak, over the
//    whole clip).
//  - A voice's output gain ramps over its first 64 frames from the gain the
//    same voice slot had for its previous note (0 only on a new synth), so a
//    note's first block depends on what that slot last played.
// A new synth costs about 0.1 ms; loading the SoundFont again would cost a
// fraction of a second per note.
struct FluidRenderer::State {
    fluid_settings_t* settings = nullptr;
    fluid_synth_t* owner = nullptr;    // loaded the SoundFont and owns it; renders nothing
    fluid_sfont_t* sfont = nullptr;
    fs::path path;
    std::vector<float> left, right;

    ~State() {
        if (owner) delete_fluid_synth(owner);  // also frees the SoundFont
        if (settings) delete_fluid_settings(settings);
    }
};

namespace {

// A synth for one note, lending it the owner's SoundFont. The SoundFont is
// taken back before the synth is deleted (delete_fluid_synth would free it).
class NoteSynth {
public:
    NoteSynth(fluid_settings_t* settings, fluid_sfont_t* sfont) : m_sfont(sfont) {
        m_synth = new_fluid_synth(settings);
        if (!m_synth) throw Error(ErrorKind::Runtime, "FluidSynth: cannot create a synthesizer");
        m_sfid = fluid_synth_add_sfont(m_synth, m_sfont);
        if (m_sfid == FLUID_FAILED) {
            delete_fluid_synth(m_synth);
            throw Error(ErrorKind::Runtime, "FluidSynth: cannot add the SoundFont to a synthesizer");
        }
    }
    ~NoteSynth() {
        // Without a SoundFont every channel warns "No preset found": not news.
        std::vector<std::string> dropped;
        CaptureScope capture(&dropped);
        fluid_synth_remove_sfont(m_synth, m_sfont);
        delete_fluid_synth(m_synth);
    }
    NoteSynth(const NoteSynth&) = delete;
    NoteSynth& operator=(const NoteSynth&) = delete;
    fluid_synth_t* get() const { return m_synth; }
    int sfontId() const { return m_sfid; }

private:
    fluid_sfont_t* m_sfont;
    fluid_synth_t* m_synth = nullptr;
    int m_sfid = FLUID_FAILED;
};

}  // namespace

FluidRenderer::FluidRenderer(const fs::path& soundFont, int sampleRateHz, double gain)
    : m_state(std::make_unique<State>()), m_sampleRateHz(sampleRateHz) {
    installLogHandlers();
    std::error_code ec;
    if (!fs::is_regular_file(soundFont, ec))
        throw Error(ErrorKind::Io, soundFont.string() +
                                       ": SoundFont not found (Debian package fluid-soundfont-gm provides FluidR3_GM.sf2)");
    if (sampleRateHz < 8000 || sampleRateHz > 96000)
        throw Error(ErrorKind::BadArgument,
                    "FluidSynth renders at 8000–96000 Hz, not " + std::to_string(sampleRateHz) + " Hz");
    State& s = *m_state;
    s.path = soundFont;
    s.settings = new_fluid_settings();
    if (!s.settings) throw Error(ErrorKind::Runtime, "FluidSynth: cannot create settings");
    fluid_settings_setnum(s.settings, "synth.sample-rate", double(sampleRateHz));
    fluid_settings_setnum(s.settings, "synth.gain", gain);
    fluid_settings_setint(s.settings, "synth.reverb.active", 0);
    fluid_settings_setint(s.settings, "synth.chorus.active", 0);
    fluid_settings_setint(s.settings, "synth.lock-memory", 0);
    fluid_settings_setint(s.settings, "synth.cpu-cores", 1);
    fluid_settings_setint(s.settings, "synth.threadsafe-api", 0);
    fluid_settings_setint(s.settings, "synth.verbose", 0);
    fluid_settings_setint(s.settings, "synth.dynamic-sample-loading", 0);
    fluid_settings_setint(s.settings, "synth.polyphony", 64);
    std::vector<std::string> messages;
    CaptureScope capture(&messages);
    s.owner = new_fluid_synth(s.settings);
    if (!s.owner) throw Error(ErrorKind::Runtime, "FluidSynth: cannot create a synthesizer");
    const int sfid = fluid_synth_sfload(s.owner, soundFont.string().c_str(), 0);
    if (sfid != FLUID_FAILED) s.sfont = fluid_synth_get_sfont_by_id(s.owner, sfid);
    if (!s.sfont) {
        std::string why = messages.empty() ? std::string() : " (" + messages.back() + ")";
        throw Error(ErrorKind::Format, soundFont.string() + ": FluidSynth cannot load this SoundFont" + why);
    }
    s.left.resize(kChunkFrames);
    s.right.resize(kChunkFrames);
}

FluidRenderer::~FluidRenderer() = default;

std::string FluidRenderer::soundFontName() const { return m_state->path.stem().string(); }

std::string FluidRenderer::presetName(int bank, int program) const {
    // Straight from the SoundFont: fluid_synth_add_sfont renumbers it.
    fluid_preset_t* p = fluid_sfont_get_preset(m_state->sfont, bank, program);
    if (!p) return {};
    const char* name = fluid_preset_get_name(p);
    return name ? std::string(name) : std::string();
}

std::vector<float> FluidRenderer::render(const FluidNote& note, std::vector<std::string>* notices) {
    if (note.key < 0 || note.key > 127 || note.velocity < 1 || note.velocity > 127 || note.program < 0 ||
        note.program > 127 || note.bank < 0 || note.bank > 16383 || note.totalFrames <= 0 || note.holdFrames < 0)
        throw Error(ErrorKind::BadArgument, "FluidSynth note out of range: bank " + std::to_string(note.bank) +
                                                " program " + std::to_string(note.program) + " key " +
                                                std::to_string(note.key) + " velocity " +
                                                std::to_string(note.velocity));
    State& s = *m_state;
    CaptureScope capture(notices);
    // GM percussion lives on MIDI channel 10 (index 9), melodic sounds on 1.
    const int chan = note.bank == 128 ? 9 : 0;
    NoteSynth synth(s.settings, s.sfont);
    if (fluid_synth_program_select(synth.get(), chan, synth.sfontId(), unsigned(note.bank), unsigned(note.program)) !=
        FLUID_OK)
        throw Error(ErrorKind::BadArgument, soundFontName() + " has no preset at bank " + std::to_string(note.bank) +
                                                " program " + std::to_string(note.program));
    const int total = roundUpToBlock(note.totalFrames);
    const int hold = std::min(roundUpToBlock(note.holdFrames), total);
    std::vector<float> out;
    out.reserve(std::size_t(total));
    auto renderFrames = [&](int frames) {
        while (frames > 0) {
            const int n = std::min(frames, kChunkFrames);
            fluid_synth_write_float(synth.get(), n, s.left.data(), 0, 1, s.right.data(), 0, 1);
            for (int i = 0; i < n; ++i) out.push_back(0.5f * (s.left[std::size_t(i)] + s.right[std::size_t(i)]));
            frames -= n;
        }
    };
    fluid_synth_noteon(synth.get(), chan, note.key, note.velocity);
    renderFrames(hold);
    fluid_synth_noteoff(synth.get(), chan, note.key);
    renderFrames(total - hold);
    out.resize(std::size_t(note.totalFrames));
    return out;
}

}  // namespace latent::audio
