#pragma once
// WAV tags read without libsndfile. libsndfile 1.2 writes LIST/INFO strings
// of any length (its header buffer allows about 50 KB) but reads each into a
// 2048-byte buffer: a longer one (the studio's provenance JSON in "comment")
// is dropped, and so is every tag after it in the chunk. This reader walks
// the RIFF chunks itself, bounded: at most kMaxWavChunks chunks, strings of
// at most kMaxWavTagBytes. It also finds the data chunk's declared size, which
// tells a truncated file (libsndfile shortens its frame count to the bytes
// there are, without a word).
#include <cstddef>
#include <string>

#include "latent/media/AudioFile.h"
#include "media/SndfileVirtualIo.h"

namespace latent {

inline constexpr int kMaxWavChunks = 4096;
inline constexpr std::size_t kMaxWavTagBytes = std::size_t(1) << 20;

struct WavChunks {
    // The INAM, IART, ICMT, ISFT and ICRD strings of the first LIST/INFO
    // chunk, as "title", "artist", "comment", "software", "date".
    AudioTags tags;
    // The data chunk's payload as its header gives it (-1: none found, or
    // RF64's size that lives in ds64). A file shorter than dataOffset +
    // dataBytes was cut short: libsndfile then reads what there is, silently.
    std::int64_t dataOffset = -1;
    std::int64_t dataBytes = -1;
};

// The chunks above of a RIFF/WAVE or RF64 file; empty for other bytes.
// Never throws for malformed input.
WavChunks readWavChunks(const SndfileVirtualIo& io);

// libsndfile 1.2 (up to at least 1.2.2) loops forever on some damaged WAV,
// RIFX and RF64 files: in a LIST (or INFO) chunk, a sub-chunk whose size
// makes its 32-bit byte count wrap around is jumped with a negative offset
// (wavlike_subchunk_parse, the default case), back onto itself; its header
// cache means the loop does no I/O that could be cut short. This replays that
// parser's walk for every "LIST" and "INFO" marker libsndfile may reach (the
// whole file up to 2 MiB; for larger ones the first 1 MiB, 256 KiB after the
// data chunk and the last 256 KiB) and describes the first such sub-chunk;
// empty when there is none or the bytes are not RIFF/RIFX/RF64.
std::string wavListHazard(const SndfileVirtualIo& io);

}  // namespace latent
