#pragma once
// libsndfile's format codes, named for people, and the codes the studio's
// AudioFileFormat values are written with.
#include <string>

#include "latent/media/AudioFile.h"

namespace latent {

// "FLAC 16-bit", "WAV 32-bit float", "Ogg Vorbis", "MP3" for a libsndfile
// format code (major | subtype); libsndfile's own names for the rest.
std::string sndfileFormatName(int format);

// SF_FORMAT_FLAC | SF_FORMAT_PCM_24 for Flac24, ...; 0 for Invalid.
int sndfileFormatFor(AudioFileFormat format);

}  // namespace latent
