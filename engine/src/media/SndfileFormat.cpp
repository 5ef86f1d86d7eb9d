#include "media/SndfileFormat.h"

#include <sndfile.h>

namespace latent {

namespace {

// libsndfile's name for a major or subtype code ("FLAC (Free Lossless Audio
// Codec)" → "FLAC"), or a hex code when it has none.
std::string libraryName(int format, bool major) {
    SF_FORMAT_INFO info{};
    info.format = format;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name) {
        std::string name = info.name;
        if (major) {
            const auto paren = name.find(" (");
            if (paren != std::string::npos) name.erase(paren);
        }
        return name;
    }
    static const char* hex = "0123456789abcdef";
    std::string code = "0x";
    for (int shift = 28; shift >= 0; shift -= 4) code += hex[(unsigned(format) >> unsigned(shift)) & 0xfu];
    return (major ? "container " : "encoding ") + code;
}

std::string majorName(int major) {
    switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX: return "WAV";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_W64: return "Wave64";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "Ogg";
    case SF_FORMAT_CAF: return "CAF";
    case SF_FORMAT_AU: return "AU";
    default: return libraryName(major, true);
    }
}

}  // namespace

std::string sndfileFormatName(int format) {
    const int major = format & SF_FORMAT_TYPEMASK;
    const int subtype = format & SF_FORMAT_SUBMASK;
    // MPEG files name their layer only: "MP3", not "MPEG-1/2 Audio MPEG Layer III".
    switch (subtype) {
    case SF_FORMAT_MPEG_LAYER_I: return "MP1";
    case SF_FORMAT_MPEG_LAYER_II: return "MP2";
    case SF_FORMAT_MPEG_LAYER_III: return "MP3";
    default: break;
    }
    std::string encoding;
    switch (subtype) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8: encoding = "8-bit"; break;
    case SF_FORMAT_PCM_16: encoding = "16-bit"; break;
    case SF_FORMAT_PCM_24: encoding = "24-bit"; break;
    case SF_FORMAT_PCM_32: encoding = "32-bit"; break;
    case SF_FORMAT_FLOAT: encoding = "32-bit float"; break;
    case SF_FORMAT_DOUBLE: encoding = "64-bit float"; break;
    case SF_FORMAT_VORBIS: encoding = "Vorbis"; break;
    case SF_FORMAT_OPUS: encoding = "Opus"; break;
    case SF_FORMAT_ALAC_16: encoding = "ALAC 16-bit"; break;
    case SF_FORMAT_ALAC_20: encoding = "ALAC 20-bit"; break;
    case SF_FORMAT_ALAC_24: encoding = "ALAC 24-bit"; break;
    case SF_FORMAT_ALAC_32: encoding = "ALAC 32-bit"; break;
    case SF_FORMAT_ULAW: encoding = "µ-law"; break;
    case SF_FORMAT_ALAW: encoding = "A-law"; break;
    default: encoding = libraryName(subtype, false); break;
    }
    return majorName(major) + " " + encoding;
}

int sndfileFormatFor(AudioFileFormat format) {
    switch (format) {
    case AudioFileFormat::Wav16: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case AudioFileFormat::Wav24: return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    case AudioFileFormat::WavFloat: return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    case AudioFileFormat::Flac16: return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AudioFileFormat::Flac24: return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    case AudioFileFormat::OggVorbis: return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case AudioFileFormat::Invalid: break;
    }
    return 0;
}

}  // namespace latent
