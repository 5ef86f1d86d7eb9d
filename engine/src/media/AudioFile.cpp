#include "latent/media/AudioFile.h"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "latent/Error.h"
#include "media/ChannelMixResampler.h"
#include "media/SndfileFormat.h"
#include "media/SndfileReader.h"
#include "media/SndfileVirtualIo.h"
#include "media/SndfileWavInfo.h"

namespace latent {

namespace {

// Frames per libsndfile read while decoding a whole clip.
constexpr std::int64_t kDecodeBlockFrames = 16384;
// Frames per libsndfile write while encoding.
constexpr std::int64_t kEncodeBlockFrames = 16384;
// The first reservation for a decoded clip, in samples: beyond it the clip
// grows as data arrives, so a header that lies about its length costs nothing.
constexpr std::int64_t kMaxReserveSamples = std::int64_t(1) << 24;
// WAV: all INFO strings together (libsndfile drops them past ~50 KB).
constexpr std::size_t kMaxWavTagsBytes = 32 * 1024;
constexpr std::size_t kMaxSoftwareTagBytes = 96;

struct TagKey {
    const char* key;
    int type;
};
// The order tags are written in: comment last, so a reader that gives up on a
// long string (libsndfile's own WAV reader) still finds the others.
constexpr TagKey kTagKeys[] = {
    {"title", SF_STR_TITLE},       {"artist", SF_STR_ARTIST},   {"date", SF_STR_DATE},
    {"software", SF_STR_SOFTWARE}, {"comment", SF_STR_COMMENT},
};

std::string tagKeyList() {
    std::string out;
    for (const TagKey& k : kTagKeys) out += (out.empty() ? "" : ", ") + std::string(k.key);
    return out;
}

void checkTags(const AudioTags& tags, AudioFileFormat format) {
    std::size_t wavBytes = 0;
    for (const auto& tag : tags) {
        // Named copies of the pair: clang 14 (the fuzz build) cannot capture structured bindings.
        const std::string& key = tag.first;
        const std::string& value = tag.second;
        const bool known = std::any_of(std::begin(kTagKeys), std::end(kTagKeys), [&](const TagKey& k) { return key == k.key; });
        if (!known)
            throw Error(ErrorKind::BadArgument, "Unknown audio tag \"" + key + "\": the tags are " + tagKeyList());
        if (value.find('\0') != std::string::npos)
            throw Error(ErrorKind::BadArgument, "The audio tag \"" + key + "\" contains a NUL byte");
        if (value.size() > kMaxWavTagBytes)
            throw Error(ErrorKind::BadArgument, "The audio tag \"" + key + "\" is " + std::to_string(value.size()) +
                                                    " bytes long; at most " + std::to_string(kMaxWavTagBytes) +
                                                    " can be stored");
        // libsndfile appends " (libsndfile-1.2.0)" to "software" and cuts it to
        // 127 bytes, possibly inside a UTF-8 sequence: keep it short enough.
        if (key == "software" && value.size() > kMaxSoftwareTagBytes)
            throw Error(ErrorKind::BadArgument, "The audio tag \"software\" is " + std::to_string(value.size()) +
                                                    " bytes long; at most " + std::to_string(kMaxSoftwareTagBytes) +
                                                    " can be stored");
        wavBytes += value.size() + 10;  // INFO sub-chunk header, NUL and padding
    }
    const bool wav = format == AudioFileFormat::Wav16 || format == AudioFileFormat::Wav24 ||
                     format == AudioFileFormat::WavFloat;
    if (wav && wavBytes > kMaxWavTagsBytes)
        throw Error(ErrorKind::BadArgument, "The audio tags take " + std::to_string(wavBytes) +
                                                " bytes; a WAV file's INFO chunk holds at most " +
                                                std::to_string(kMaxWavTagsBytes) + " (FLAC or Ogg hold more)");
}

// Closes a SNDFILE opened for writing unless release()d.
class WriteHandle {
public:
    explicit WriteHandle(SNDFILE* file) : m_file(file) {}
    ~WriteHandle() {
        if (m_file) sf_close(m_file);
    }
    WriteHandle(const WriteHandle&) = delete;
    WriteHandle& operator=(const WriteHandle&) = delete;
    SNDFILE* get() const { return m_file; }
    // Closes now; returns libsndfile's error code.
    int close() {
        const int err = sf_close(m_file);
        m_file = nullptr;
        return err;
    }

private:
    SNDFILE* m_file;
};

AudioClip decodeAll(SndfileReader& reader, const AudioReadOptions& options, std::vector<std::string>* notices,
                    AudioTags* tags) {
    checkAudioReadOptions(options);
    const AudioFileInfo& info = reader.info();
    const int outRate = options.targetRateHz > 0 ? options.targetRateHz : info.sampleRateHz;
    const int outChannels = options.targetChannels > 0 ? options.targetChannels : info.channels;

    // Refuse by the header's length before anything is allocated or decoded.
    const double limitSeconds = options.maxSeconds;
    if (limitSeconds > 0 && info.seconds() > limitSeconds)
        throw Error(ErrorKind::BadArgument, reader.name() + " lasts " + audioDurationText(info.seconds()) +
                                                ", longer than the limit of " + audioDurationText(limitSeconds) +
                                                " for a sound read at once");
    ChannelMixResampler converter(info.sampleRateHz, info.channels, outRate, outChannels);
    // Counts in double: frames × channels may overflow int64 for a lying header.
    const double limitSamples = options.maxSamples > 0 ? double(options.maxSamples) : 0.0;
    const double fileSamples = double(info.frames) * info.channels;
    const double clipSamples = double(converter.maxOutputFrames(info.frames)) * outChannels;
    if (limitSamples > 0 && std::max(fileSamples, clipSamples) > limitSamples)
        throw Error(ErrorKind::BadArgument, reader.name() + " holds " + std::to_string(info.frames) + " frames of " +
                                                std::to_string(info.channels) + " channels, more than the limit of " +
                                                std::to_string(options.maxSamples) + " samples");
    if (fileSamples >= double(std::numeric_limits<std::int64_t>::max() / 4))
        throw Error(ErrorKind::Format, reader.name() + " gives an impossible length (" + std::to_string(info.frames) +
                                           " frames)");

    // The header may be wrong (a truncated file, an estimate): the reads below
    // stop at the data's end, and at the limits whatever the header said.
    const double limitFrames = limitSeconds > 0 ? std::ceil(limitSeconds * info.sampleRateHz) : 0.0;
    AudioClip clip;
    clip.sampleRateHz = outRate;
    clip.channels = outChannels;
    clip.samples.reserve(std::size_t(std::min<double>(clipSamples, double(kMaxReserveSamples))));
    std::vector<float> block(std::size_t(kDecodeBlockFrames) * std::size_t(info.channels));
    for (;;) {
        const std::int64_t got = reader.read(block.data(), kDecodeBlockFrames);
        if (got == 0) break;
        if (limitFrames > 0 && double(reader.framesRead()) > limitFrames)
            throw Error(ErrorKind::BadArgument, reader.name() + " lasts longer than the limit of " +
                                                    audioDurationText(limitSeconds) +
                                                    " for a sound read at once (its header gave " +
                                                    audioDurationText(info.seconds()) + ")");
        if (limitSamples > 0 && double(reader.framesRead()) * info.channels > limitSamples)
            throw Error(ErrorKind::BadArgument, reader.name() + " holds more than the limit of " +
                                                    std::to_string(options.maxSamples) + " samples");
        converter.process(block.data(), got, clip.samples);
        if (limitSamples > 0 && double(clip.samples.size()) > limitSamples)
            throw Error(ErrorKind::BadArgument, reader.name() + " converted holds more than the limit of " +
                                                    std::to_string(options.maxSamples) + " samples");
    }
    converter.finish(clip.samples);
    if (limitSamples > 0 && double(clip.samples.size()) > limitSamples)
        throw Error(ErrorKind::BadArgument, reader.name() + " converted holds more than the limit of " +
                                                std::to_string(options.maxSamples) + " samples");

    if (notices) {
        for (std::string& n : audioConversionNotices(info, outRate, outChannels)) notices->push_back(std::move(n));
        if (std::string shortfall = reader.shortfallNotice(); !shortfall.empty()) notices->push_back(std::move(shortfall));
    }
    if (tags) *tags = info.tags;
    return clip;
}

}  // namespace

AudioFileFormat audioFormatForPath(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".wav") return AudioFileFormat::Wav16;
    if (ext == ".flac") return AudioFileFormat::Flac16;
    if (ext == ".ogg" || ext == ".oga") return AudioFileFormat::OggVorbis;
    return AudioFileFormat::Invalid;
}

const char* audioFormatName(AudioFileFormat format) {
    switch (format) {
    case AudioFileFormat::Wav16: return "WAV 16-bit";
    case AudioFileFormat::Wav24: return "WAV 24-bit";
    case AudioFileFormat::WavFloat: return "WAV 32-bit float";
    case AudioFileFormat::Flac16: return "FLAC 16-bit";
    case AudioFileFormat::Flac24: return "FLAC 24-bit";
    case AudioFileFormat::OggVorbis: return "Ogg Vorbis";
    case AudioFileFormat::Invalid: break;
    }
    return "invalid audio format";
}

AudioFileInfo probeAudioFile(const std::filesystem::path& path) { return SndfileReader::openFile(path)->info(); }

AudioClip readAudioFile(const std::filesystem::path& path, const AudioReadOptions& options,
                        std::vector<std::string>* notices, AudioTags* tags) {
    checkAudioReadOptions(options);
    const auto reader = SndfileReader::openFile(path);
    return decodeAll(*reader, options, notices, tags);
}

AudioClip decodeAudio(std::string_view bytes, const AudioReadOptions& options, std::vector<std::string>* notices,
                      AudioTags* tags) {
    checkAudioReadOptions(options);
    SndfileReader reader(std::make_unique<SndfileVirtualIo>(bytes),
                         "The audio data (" + std::to_string(bytes.size()) + " bytes)");
    return decodeAll(reader, options, notices, tags);
}

std::string encodeAudio(const AudioClip& clip, AudioFileFormat format, const AudioTags& tags) {
    const int sfFormat = sndfileFormatFor(format);
    if (sfFormat == 0)
        throw Error(ErrorKind::BadArgument,
                    "Cannot write audio in format " + std::to_string(int(format)) + ": not a format the studio writes");
    const std::string what = std::string("a ") + audioFormatName(format) + " file";
    if (clip.channels < 1 || clip.channels > kMaxAudioChannels)
        throw Error(ErrorKind::BadArgument, "Cannot write " + what + " of " + std::to_string(clip.channels) +
                                                " channels: 1 to " + std::to_string(kMaxAudioChannels) +
                                                " are possible");
    if (clip.sampleRateHz < kMinAudioRateHz || clip.sampleRateHz > kMaxAudioRateHz)
        throw Error(ErrorKind::BadArgument, "Cannot write " + what + " at " + std::to_string(clip.sampleRateHz) +
                                                " Hz: rates from " + std::to_string(kMinAudioRateHz) + " Hz to " +
                                                std::to_string(kMaxAudioRateHz) + " Hz are possible");
    if (clip.samples.empty()) throw Error(ErrorKind::BadArgument, "Cannot write an empty sound as " + what);
    if (clip.samples.size() % std::size_t(clip.channels) != 0)
        throw Error(ErrorKind::BadArgument, "Cannot write " + what + ": " + std::to_string(clip.samples.size()) +
                                                " samples do not make whole frames of " +
                                                std::to_string(clip.channels) + " channels");
    checkTags(tags, format);

    SF_INFO sfInfo{};
    sfInfo.samplerate = clip.sampleRateHz;
    sfInfo.channels = clip.channels;
    sfInfo.format = sfFormat;
    const std::string cannot = "Cannot write " + what + " of " + std::to_string(clip.channels) + " channels at " +
                               std::to_string(clip.sampleRateHz) + " Hz";
    if (!sf_format_check(&sfInfo)) throw Error(ErrorKind::BadArgument, cannot + ": libsndfile refuses the combination");
    SndfileVirtualIo io;
    WriteHandle file(sf_open_virtual(io.callbacks(), SFM_WRITE, &sfInfo, io.userData()));
    if (!file.get()) throw Error(ErrorKind::BadArgument, cannot + ": " + sf_strerror(nullptr));

    // Float samples beyond ±1 are clipped, not wrapped, in integer formats
    // (the samples below are clamped already; this guards libsndfile's own
    // rounding at full scale). Reading always asks for float, so
    // SFC_SET_SCALE_FLOAT_INT_READ (float files read as integers) has no use here.
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    if (format == AudioFileFormat::OggVorbis) {
        double quality = 0.6;
        sf_command(file.get(), SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof quality);
    }
    // Strings go before the first write: WAV puts its LIST/INFO chunk before
    // the data, FLAC and Vorbis their comment block into the stream header.
    for (const TagKey& k : kTagKeys) {
        const auto it = tags.find(k.key);
        if (it == tags.end() || it->second.empty()) continue;
        if (const int err = sf_set_string(file.get(), k.type, it->second.c_str()); err != 0)
            throw Error(ErrorKind::BadArgument, "Cannot store the tag \"" + std::string(k.key) + "\" in " + what +
                                                    ": " + sf_error_number(err));
    }

    const bool integer = format != AudioFileFormat::WavFloat;
    const auto channels = std::size_t(clip.channels);
    const std::int64_t frames = clip.frames();
    std::vector<float> block(std::size_t(std::min(frames, kEncodeBlockFrames)) * channels);
    for (std::int64_t done = 0; done < frames;) {
        const std::int64_t n = std::min(frames - done, kEncodeBlockFrames);
        const float* src = clip.samples.data() + std::size_t(done) * channels;
        for (std::size_t i = 0; i < std::size_t(n) * channels; ++i) {
            const float v = std::isfinite(src[i]) ? src[i] : 0.0f;
            block[i] = integer ? std::clamp(v, -1.0f, 1.0f) : v;
        }
        const sf_count_t written = sf_writef_float(file.get(), block.data(), sf_count_t(n));
        if (written != n)
            throw Error(ErrorKind::Io, "Encoding " + what + " failed: " + sf_strerror(file.get()));
        done += n;
    }
    if (const int err = file.close(); err != 0)
        throw Error(ErrorKind::Io, "Encoding " + what + " failed when finishing it: " + sf_error_number(err));
    return io.takeBytes();
}

void writeAudioFile(const std::filesystem::path& path, const AudioClip& clip, AudioFileFormat format,
                    const AudioTags& tags, const AtomicWriteOptions& options) {
    // Refuse the target (a symlink, a read-only file, a missing folder) before encoding.
    checkWritableTarget(path, options);
    writeFileAtomic(path, encodeAudio(clip, format, tags), options);
}

}  // namespace latent
