#pragma once
// An open libsndfile stream over a SndfileVirtualIo, checked before anything
// is decoded: 1 to kMaxAudioChannels channels, a rate from kMinAudioRateHz to
// kMaxAudioRateHz, a frame count that is not negative. Reads float frames in
// the file's channels, with non-finite samples replaced by 0 and the rest
// clamped to [-1, 1]. Shared by probeAudioFile, decodeAudio, readAudioFile and
// AudioFileReader.
#include <sndfile.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "latent/media/AudioFile.h"
#include "media/SndfileVirtualIo.h"

namespace latent {

inline constexpr int kMaxAudioChannels = 64;
inline constexpr int kMinAudioRateHz = 1000;
inline constexpr int kMaxAudioRateHz = 768000;

// "2.5 s", "12:34 (754 s)", "1:02:03 (3723 s)": a duration in messages.
std::string audioDurationText(double seconds);

// Throws Error(BadArgument) for a target rate outside kMinAudioRateHz..
// kMaxAudioRateHz (0 keeps), target channels outside 0..kMaxAudioChannels,
// or negative or non-finite limits.
void checkAudioReadOptions(const AudioReadOptions& options);

// "resampled from 22050 Hz to 48000 Hz", "mixed 2 channels down to mono":
// what converting `info` as `options` say does.
std::vector<std::string> audioConversionNotices(const AudioFileInfo& info, int outRateHz, int outChannels);

class SndfileReader {
public:
    // Opens a file (Error(Io) when it cannot be opened, Error(Format) when it is not audio).
    static std::unique_ptr<SndfileReader> openFile(const std::filesystem::path& path);

    // `name` stands for the source in messages: "loop.flac", "audio data of 812 bytes".
    // Throws Error(Format) naming it when libsndfile cannot read the bytes or
    // the stream is out of the bounds above.
    SndfileReader(std::unique_ptr<SndfileVirtualIo> io, std::string name);
    ~SndfileReader();
    SndfileReader(const SndfileReader&) = delete;
    SndfileReader& operator=(const SndfileReader&) = delete;

    const AudioFileInfo& info() const { return m_info; }
    const std::string& name() const { return m_name; }
    int format() const { return m_format; }  // libsndfile's major | subtype

    // Reads up to `maxFrames` frames into `out` (room for maxFrames × channels
    // floats). Returns the frames read: 0 at the end, or when libsndfile
    // stops at damaged data (the readable part is kept, see shortfallNotice).
    std::int64_t read(float* out, std::int64_t maxFrames);
    std::int64_t framesRead() const { return m_framesRead; }
    bool atEnd() const { return m_ended; }
    // After the end: a notice when the stream gave fewer frames than its header
    // announced ("loop.wav ends after 1.2 s of the 2.4 s its header gives"); empty otherwise.
    std::string shortfallNotice() const;

private:
    std::unique_ptr<SndfileVirtualIo> m_io;
    std::string m_name;
    SNDFILE* m_file = nullptr;
    AudioFileInfo m_info;
    int m_format = 0;
    std::int64_t m_framesRead = 0;
    bool m_ended = false;
    std::string m_readError;
    std::int64_t m_declaredFrames = 0;  // WAV: the frames its data chunk's size gives, when the file is shorter
};

}  // namespace latent
