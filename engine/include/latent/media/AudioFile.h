#pragma once
// Reading and writing sound files (libsndfile: WAV, AIFF, FLAC, Ogg Vorbis,
// Opus, MP3 where the library has it; libsamplerate converts rates). Qt-free:
// the CLI, the recorder and the GUI share it.
//
//   AudioReadOptions o; o.targetRateHz = 48000; o.targetChannels = 1;
//   std::vector<std::string> notices;
//   AudioClip clip = readAudioFile("loop.flac", o, &notices);  // "resampled from 44100 Hz ..."
//   writeAudioFile("out.flac", clip, AudioFileFormat::Flac24, {{"comment", provenanceJson}});
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "latent/formats/AtomicFile.h"
#include "latent/media/AudioClip.h"

namespace latent {

// Persisted in settings and presets: start at 1, never renumber.
enum class AudioFileFormat {
    Invalid = 0,
    Wav16 = 1,
    Wav24 = 2,
    WavFloat = 3,  // 32-bit float
    Flac16 = 4,
    Flac24 = 5,
    OggVorbis = 6,
};

// ".wav" → Wav16, ".flac" → Flac16, ".ogg"/".oga" → OggVorbis (case-insensitive);
// Invalid for anything else.
AudioFileFormat audioFormatForPath(const std::filesystem::path& path);
const char* audioFormatName(AudioFileFormat format);  // "WAV 16-bit", "FLAC 24-bit", "Ogg Vorbis"

// Tag keys are lower-case names: "title", "comment", "software", "artist",
// "date". Each format stores them in its own comment tags (WAV LIST/INFO
// INAM/ICMT/ISFT/IART/ICRD, FLAC and Ogg Vorbis comments), where ffprobe and
// players read them (sox --i -a shows FLAC's and Ogg's, not WAV's INFO);
// "comment" carries the studio's provenance JSON. Values are UTF-8 without
// NUL bytes; "software" at most 96 bytes (libsndfile stores it as
// "<value> (libsndfile-1.2.0)", which reading strips again). Lengths: FLAC
// and Ogg take up to 1 MiB a value; WAV up to
// 32 KiB for all tags together (libsndfile's header buffer silently drops
// more, about 50 KB). libsndfile 1.2 itself reads WAV INFO strings only up to
// 2047 bytes; the studio reads the chunk itself, so longer ones round-trip.
using AudioTags = std::map<std::string, std::string>;

struct AudioFileInfo {
    int sampleRateHz = 0;
    int channels = 0;
    std::int64_t frames = 0;  // per channel
    std::string formatName;   // "FLAC 16-bit", as libsndfile names the container and encoding
    AudioTags tags;
    double seconds() const { return sampleRateHz > 0 ? double(frames) / sampleRateHz : 0.0; }
};

struct AudioReadOptions {
    int targetRateHz = 0;    // 0: keep the file's rate
    int targetChannels = 0;  // 0: keep; 1: mix down; 2: mono is duplicated, more are mixed
    // Longer files are refused with a message naming both durations (use
    // AudioFileReader to stream them); 0: no limit.
    double maxSeconds = 600;
    // Files of more samples (frames × channels, in the file or in the
    // converted clip) are refused too: bounds memory when a short file has
    // many channels or a high rate (the fuzz harness); 0: no limit.
    std::int64_t maxSamples = 0;
};

// Reads the header and tags only. Throws Error(Io) for a missing or unreadable
// file and Error(Format) for one that is not audio, naming the file and why.
AudioFileInfo probeAudioFile(const std::filesystem::path& path);

// Reads a whole file, converted as `options` say; each conversion made is
// described in `notices` ("resampled from 22050 Hz to 48000 Hz", "mixed 2
// channels down to mono"). Throws as probeAudioFile does, and Error(BadArgument)
// when the file is longer than options.maxSeconds.
AudioClip readAudioFile(const std::filesystem::path& path, const AudioReadOptions& options = {},
                        std::vector<std::string>* notices = nullptr, AudioTags* tags = nullptr);

// The same for bytes in memory (a dropped file, a fuzz input).
AudioClip decodeAudio(std::string_view bytes, const AudioReadOptions& options = {},
                      std::vector<std::string>* notices = nullptr, AudioTags* tags = nullptr);

// Streams a file of any length block by block, converting rate and channels
// on the way, in bounded memory (options' limits do not apply). Throws as
// probeAudioFile does; read() throws Error(BadArgument) for maxFrames < 1.
class AudioFileReader {
public:
    AudioFileReader(const std::filesystem::path& path, const AudioReadOptions& options = {});
    ~AudioFileReader();
    AudioFileReader(const AudioFileReader&) = delete;
    AudioFileReader& operator=(const AudioFileReader&) = delete;

    const AudioFileInfo& info() const;  // of the file, before conversion
    int outputRateHz() const;
    int outputChannels() const;
    const std::vector<std::string>& notices() const;
    // Up to maxFrames converted frames (interleaved); empty at the end.
    std::vector<float> read(std::int64_t maxFrames);
    bool atEnd() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Encodes `clip` (samples clipped to [-1, 1] for integer formats; NaN and
// infinities written as 0) with `tags`. Ogg Vorbis is VBR at quality 0.6.
// Throws Error(BadArgument) for an empty clip, an invalid format, a rate or
// channel count the format cannot store (FLAC: at most 8 channels), an
// unknown tag key or a tag too long for the format.
std::string encodeAudio(const AudioClip& clip, AudioFileFormat format, const AudioTags& tags = {});

// encodeAudio, then writeFileAtomic under its policy: a crash leaves the old
// file, a symlink or read-only file is refused.
void writeAudioFile(const std::filesystem::path& path, const AudioClip& clip, AudioFileFormat format,
                    const AudioTags& tags = {}, const AtomicWriteOptions& options = {});

}  // namespace latent
