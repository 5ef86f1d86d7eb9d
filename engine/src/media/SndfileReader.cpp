#include "media/SndfileReader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "latent/Error.h"
#include "media/ChannelMix.h"
#include "media/SndfileFormat.h"
#include "media/SndfileWavInfo.h"

namespace latent {

namespace {

struct TagType {
    int type;
    const char* key;
};
constexpr TagType kTagTypes[] = {
    {SF_STR_TITLE, "title"},   {SF_STR_ARTIST, "artist"}, {SF_STR_DATE, "date"},
    {SF_STR_SOFTWARE, "software"}, {SF_STR_COMMENT, "comment"},
};

bool isWavFamily(int format) {
    const int major = format & SF_FORMAT_TYPEMASK;
    return major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64;
}

}  // namespace

std::string audioDurationText(double seconds) {
    char buf[64];
    if (!std::isfinite(seconds) || seconds < 0) return "an unknown time";
    if (seconds < 60) {
        std::snprintf(buf, sizeof buf, "%.1f", seconds);
        std::string s = buf;
        if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
        return s + " s";
    }
    const double whole = std::floor(seconds);
    if (whole > 1e12) return "more than 30000 years";
    const auto total = static_cast<long long>(whole);
    const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
    if (h > 0)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld (%lld s)", h, m, s, total);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld (%lld s)", m, s, total);
    return buf;
}

void checkAudioReadOptions(const AudioReadOptions& options) {
    if (options.targetRateHz != 0 && (options.targetRateHz < kMinAudioRateHz || options.targetRateHz > kMaxAudioRateHz))
        throw Error(ErrorKind::BadArgument, "Cannot convert audio to " + std::to_string(options.targetRateHz) +
                                                " Hz: rates from " + std::to_string(kMinAudioRateHz) + " Hz to " +
                                                std::to_string(kMaxAudioRateHz) + " Hz are possible");
    if (options.targetChannels < 0 || options.targetChannels > kMaxAudioChannels)
        throw Error(ErrorKind::BadArgument, "Cannot convert audio to " + std::to_string(options.targetChannels) +
                                                " channels: 1 to " + std::to_string(kMaxAudioChannels) +
                                                " are possible (0 keeps the file's)");
    if (!std::isfinite(options.maxSeconds) || options.maxSeconds < 0)
        throw Error(ErrorKind::BadArgument, "The audio length limit must be 0 (none) or a positive number of seconds");
    if (options.maxSamples < 0)
        throw Error(ErrorKind::BadArgument, "The audio sample limit must be 0 (none) or a positive count");
}

std::vector<std::string> audioConversionNotices(const AudioFileInfo& info, int outRateHz, int outChannels) {
    std::vector<std::string> notices;
    if (outRateHz != info.sampleRateHz)
        notices.push_back("resampled from " + std::to_string(info.sampleRateHz) + " Hz to " +
                          std::to_string(outRateHz) + " Hz");
    if (std::string mix = channelMixNotice(info.channels, outChannels); !mix.empty()) notices.push_back(std::move(mix));
    return notices;
}

std::unique_ptr<SndfileReader> SndfileReader::openFile(const std::filesystem::path& path) {
    return std::make_unique<SndfileReader>(std::make_unique<SndfileVirtualIo>(path), path.string());
}

SndfileReader::SndfileReader(std::unique_ptr<SndfileVirtualIo> io, std::string name)
    : m_io(std::move(io)), m_name(std::move(name)) {
    // A damaged WAV that would send libsndfile into an endless loop (SndfileWavInfo.h).
    if (const std::string hazard = wavListHazard(*m_io); !hazard.empty())
        throw Error(ErrorKind::Format, m_name + " is a damaged WAV file: " + hazard);
    SF_INFO sfInfo{};
    m_file = sf_open_virtual(m_io->callbacks(), SFM_READ, &sfInfo, m_io->userData());
    if (!m_file) {
        // libsndfile keeps the error of a failed open in a global; read it at once.
        std::string why = sf_strerror(nullptr);
        // The bytes come through SF_VIRTUAL_IO from a file this code opened and
        // checked: libsndfile's "File does not exist or is not a regular file"
        // (what it says when a decoder such as mpg123 gives up) misleads here.
        if (why.find("not a regular file") != std::string::npos) why = "the data is damaged or incomplete";
        throw Error(ErrorKind::Format, m_name + " is not a sound file libsndfile can read: " + why);
    }
    const auto refuse = [&](const std::string& why) {
        sf_close(m_file);
        m_file = nullptr;
        throw Error(ErrorKind::Format, m_name + " " + why);
    };
    if (sfInfo.channels <= 0) refuse("has no audio channels (its header gives " + std::to_string(sfInfo.channels) + ")");
    if (sfInfo.channels > kMaxAudioChannels)
        refuse("has " + std::to_string(sfInfo.channels) + " channels; at most " + std::to_string(kMaxAudioChannels) +
               " can be read");
    if (sfInfo.samplerate < kMinAudioRateHz || sfInfo.samplerate > kMaxAudioRateHz)
        refuse("gives its sample rate as " + std::to_string(sfInfo.samplerate) + " Hz; rates from " +
               std::to_string(kMinAudioRateHz) + " Hz to " + std::to_string(kMaxAudioRateHz) + " Hz can be read");
    if (sfInfo.frames < 0) refuse("gives a negative length (" + std::to_string(sfInfo.frames) + " frames)");

    m_format = sfInfo.format;
    m_info.sampleRateHz = sfInfo.samplerate;
    m_info.channels = sfInfo.channels;
    // SF_COUNT_MAX means "unknown" (a stream libsndfile cannot measure): 0,
    // and the read loops stop at the data's end.
    m_info.frames = sfInfo.frames == SF_COUNT_MAX ? 0 : std::int64_t(sfInfo.frames);
    m_info.formatName = sndfileFormatName(sfInfo.format);
    for (const TagType& t : kTagTypes) {
        const char* value = sf_get_string(m_file, t.type);
        if (value && *value) m_info.tags[t.key] = value;
    }
    // libsndfile drops WAV INFO strings of 2048 bytes or more, and the ones
    // after them (SndfileWavInfo.h): read them from the chunks instead.
    if (isWavFamily(m_format)) {
        WavChunks chunks = readWavChunks(*m_io);
        for (auto& [key, value] : chunks.tags) m_info.tags[key] = std::move(value);
        // A data chunk that runs past the end: libsndfile counts only the
        // frames there are. Scale to what the header promised, for the notice.
        const std::int64_t available = m_io->size() - chunks.dataOffset;
        if (chunks.dataOffset > 0 && m_info.frames > 0 && chunks.dataBytes > available && available > 0)
            m_declaredFrames = std::int64_t(double(m_info.frames) * double(chunks.dataBytes) / double(available));
    }
    // libsndfile writes "software" as "<value> (libsndfile-1.2.0)": give back
    // the value that was written.
    if (const auto it = m_info.tags.find("software"); it != m_info.tags.end()) {
        std::string& value = it->second;
        const auto suffix = value.rfind(" (libsndfile-");
        if (suffix != std::string::npos && suffix > 0 && value.back() == ')' &&
            value.find(')', suffix) == value.size() - 1)
            value.resize(suffix);
    }
}

SndfileReader::~SndfileReader() {
    if (m_file) sf_close(m_file);
}

std::int64_t SndfileReader::read(float* out, std::int64_t maxFrames) {
    if (m_ended || maxFrames <= 0) return 0;
    const sf_count_t got = sf_readf_float(m_file, out, sf_count_t(maxFrames));
    if (got <= 0) {
        m_ended = true;
        if (sf_error(m_file) != SF_ERR_NO_ERROR) m_readError = sf_strerror(m_file);
        return 0;
    }
    const std::size_t n = std::size_t(got) * std::size_t(m_info.channels);
    for (std::size_t i = 0; i < n; ++i) {
        const float v = out[i];
        out[i] = std::isfinite(v) ? std::clamp(v, -1.0f, 1.0f) : 0.0f;
    }
    m_framesRead += got;
    return got;
}

std::string SndfileReader::shortfallNotice() const {
    const std::int64_t expected = std::max(m_info.frames, m_declaredFrames);
    if (!m_ended || expected <= 0) return {};
    // MP3 lengths are estimates (from a Xing header or the bit rate): allow 1%.
    const bool estimated = (m_format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
    const std::int64_t slack = estimated ? expected / 100 : 0;
    if (m_framesRead + slack >= expected && m_readError.empty()) return {};
    const double rate = m_info.sampleRateHz;
    std::string notice = m_name + " ends after " + audioDurationText(double(m_framesRead) / rate) + " of the " +
                         audioDurationText(double(expected) / rate) + " its header gives";
    if (!m_readError.empty()) notice += " (" + m_readError + ")";
    return notice + ": the file is cut short or damaged";
}

}  // namespace latent
