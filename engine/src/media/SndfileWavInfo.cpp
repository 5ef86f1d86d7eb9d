#include "media/SndfileWavInfo.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace latent {

namespace {

std::uint32_t le32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

const char* keyForInfoId(const char* id) {
    if (std::memcmp(id, "INAM", 4) == 0) return "title";
    if (std::memcmp(id, "IART", 4) == 0) return "artist";
    if (std::memcmp(id, "ICMT", 4) == 0) return "comment";
    if (std::memcmp(id, "ISFT", 4) == 0) return "software";
    if (std::memcmp(id, "ICRD", 4) == 0) return "date";
    return nullptr;
}

// The sub-chunks of a LIST/INFO chunk whose payload spans [begin, end).
AudioTags readInfoList(const SndfileVirtualIo& io, std::int64_t begin, std::int64_t end) {
    AudioTags tags;
    std::int64_t pos = begin;
    for (int i = 0; i < kMaxWavChunks && pos + 8 <= end; ++i) {
        unsigned char header[8];
        if (io.readAt(pos, header, 8) != 8) break;
        const std::int64_t size = le32(header + 4);
        const std::int64_t payload = pos + 8;
        if (size > end - payload) break;  // runs past the LIST chunk: damaged, keep what was read
        const char* key = keyForInfoId(reinterpret_cast<const char*>(header));
        if (key && size > 0 && std::size_t(size) <= kMaxWavTagBytes && !tags.count(key)) {
            std::string value(std::size_t(size), '\0');
            if (io.readAt(payload, value.data(), value.size()) != value.size()) break;
            // Strings end at their NUL (written with one, padded to an even size).
            const auto nul = value.find('\0');
            if (nul != std::string::npos) value.resize(nul);
            if (!value.empty()) tags[key] = std::move(value);
        }
        pos = payload + size + (size & 1);
    }
    return tags;
}

}  // namespace

namespace {

std::uint32_t be32(const unsigned char* p) {
    return std::uint32_t(p[3]) | std::uint32_t(p[2]) << 8 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[0]) << 24;
}

constexpr std::int64_t kWholeScanBytes = std::int64_t(2) << 20;
constexpr std::int64_t kHeadScanBytes = std::int64_t(1) << 20;
constexpr std::int64_t kTailScanBytes = std::int64_t(256) << 10;
// Steps of one replayed walk: a real LIST chunk has a handful of sub-chunks.
constexpr int kMaxWalkSteps = 1 << 20;

bool is(std::uint32_t marker, const char* id) {
    const auto* p = reinterpret_cast<const unsigned char*>(id);
    return marker == (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]));
}

// Replays exif_subchunk_parse (libsndfile 1.2 src/wavlike.c) from `at`,
// which it advances as libsndfile moves; returns the count that function
// returns (it counts 4 bytes more than it reads for each string).
std::uint32_t replayExifParse(const SndfileVirtualIo& io, std::int64_t& at, std::uint32_t length, bool bigEndian) {
    unsigned char b[4];
    const auto word = [&](const unsigned char* p) { return bigEndian ? be32(p) : le32(p); };
    std::uint32_t bytesRead = 0;
    for (int step = 0; step < kMaxWalkSteps && bytesRead < length; ++step) {
        if (io.readAt(at, b, 4) != 4) break;
        const std::uint32_t marker = be32(b);
        at += 4;
        bytesRead += 4;
        if (is(marker, "ever")) {
            at += 8;
            bytesRead += 8;
        } else if (is(marker, "olym")) {
            if (io.readAt(at, b, 4) != 4) break;
            std::uint32_t dword = word(b);
            at += 4;
            bytesRead += 4;
            if (dword > length || bytesRead + dword > length) continue;
            dword += dword & 1;
            at += dword;
            bytesRead += dword;
        } else if (is(marker, "emnt") || is(marker, "emdl") || is(marker, "ecor") || is(marker, "etim") ||
                   is(marker, "erel") || is(marker, "eucm")) {
            if (io.readAt(at, b, 4) != 4) break;
            std::uint32_t dword = word(b);
            at += 4;
            bytesRead += 8;
            dword += dword & 1;
            if (dword >= 4096) return bytesRead;
            // exif_fill_and_sink: reads dword bytes (at most 4095) as a string.
            char text[4096] = {};
            const std::size_t got = io.readAt(at, text, dword);
            at += std::int64_t(got);
            bytesRead += std::uint32_t(got);
            if (is(marker, "emdl") && dword == std::strlen(text)) {
                at += 2;
                bytesRead += 2;
            }
            if (dword > length) return bytesRead;
        }
    }
    return bytesRead;
}

// Replays wavlike_subchunk_parse (libsndfile 1.2 src/wavlike.c) for the LIST
// or INFO marker at `pos`: unsigned 32-bit byte counts, as there. Returns a
// description of a sub-chunk whose skip would wrap the count (and so jump
// backwards), or empty.
std::string replayListParse(const SndfileVirtualIo& io, std::int64_t pos, bool bigEndian) {
    const std::int64_t fileLength = io.size();
    unsigned char b[8];
    if (io.readAt(pos + 4, b, 4) != 4) return {};
    const auto word = [&](const unsigned char* p) { return bigEndian ? be32(p) : le32(p); };
    std::uint32_t chunkLength = word(b);
    const std::int64_t start = pos + 8;
    if (chunkLength <= 8) return {};
    if (std::int64_t(chunkLength) + start > fileLength) chunkLength = std::uint32_t(std::max<std::int64_t>(0, fileLength - start));
    std::uint32_t bytesRead = 0;
    std::int64_t at = start;
    // Reads 4 bytes at `at` as a big-endian marker (libsndfile's "m") or a
    // number in the file's byte order ("4").
    const auto read4 = [&](std::uint32_t& out, bool marker) {
        if (io.readAt(at, b, 4) != 4) return false;
        out = marker ? be32(b) : word(b);
        at += 4;
        bytesRead += 4;
        return true;
    };
    for (int step = 0; step < kMaxWalkSteps && bytesRead < chunkLength; ++step) {
        std::uint32_t marker = 0, size = 0;
        if (!read4(marker, true)) return {};
        if (is(marker, "adtl") || is(marker, "INFO")) continue;
        if (is(marker, "data") || marker == 0) return {};
        if (is(marker, "exif")) {
            if (chunkLength > bytesRead) {
                const std::uint32_t counted = replayExifParse(io, at, chunkLength - bytesRead, bigEndian);
                bytesRead += counted;
            }
            continue;
        }
        if (!read4(size, false)) return {};
        const bool string = is(marker, "ISFT") || is(marker, "ICOP") || is(marker, "IARL") || is(marker, "IART") ||
                            is(marker, "ICMT") || is(marker, "ICRD") || is(marker, "IENG") || is(marker, "IGNR") ||
                            is(marker, "INAM") || is(marker, "IPRD") || is(marker, "ISBJ") || is(marker, "ISRC") ||
                            is(marker, "IAUT") || is(marker, "ITRK");
        if (string) {
            size += size & 1;
            if (size >= 2048 || bytesRead + size > chunkLength) return {};
            at += size;
            bytesRead += size;
            continue;
        }
        if (is(marker, "labl")) {
            std::uint32_t markId = 0;
            if (!read4(markId, false)) return {};
            size -= 4;
            size += size & 1;
            if (size < 1 || size >= 2048 || bytesRead + size > chunkLength) return {};
            at += size;
            bytesRead += size;
            continue;
        }
        if (is(marker, "DISP") || is(marker, "ltxt") || is(marker, "note")) return {};  // the parse ends there
        size += size & 1;
        if (std::uint64_t(bytesRead) + size >= (std::uint64_t(1) << 32))
            return "a sub-chunk of its LIST chunk at byte " + std::to_string(at - 8) + " claims " +
                   std::to_string(size) + " bytes";
        if (bytesRead + size > chunkLength) return {};
        at += size;
        bytesRead += size;
    }
    if (bytesRead < chunkLength) return "its LIST chunk at byte " + std::to_string(pos) + " has too many parts";
    return {};
}

}  // namespace

std::string wavListHazard(const SndfileVirtualIo& io) {
    unsigned char head[4];
    if (io.readAt(0, head, 4) != 4) return {};
    const bool bigEndian = std::memcmp(head, "RIFX", 4) == 0;
    if (!bigEndian && std::memcmp(head, "RIFF", 4) != 0 && std::memcmp(head, "RF64", 4) != 0) return {};
    const std::int64_t fileLength = io.size();
    std::vector<std::pair<std::int64_t, std::int64_t>> regions;  // [begin, end)
    if (fileLength <= kWholeScanBytes) {
        regions.emplace_back(0, fileLength);
    } else {
        regions.emplace_back(0, kHeadScanBytes);
        const WavChunks chunks = readWavChunks(io);
        if (chunks.dataOffset > 0 && chunks.dataBytes >= 0) {
            const std::int64_t end = chunks.dataOffset + chunks.dataBytes;
            regions.emplace_back(std::min(end, fileLength), std::min(end + kTailScanBytes, fileLength));
        }
        regions.emplace_back(fileLength - kTailScanBytes, fileLength);
    }
    std::string buffer;
    for (const auto& [begin, end] : regions) {
        if (end - begin < 8) continue;
        buffer.resize(std::size_t(end - begin));
        buffer.resize(io.readAt(begin, buffer.data(), buffer.size()));
        for (const char* marker : {"LIST", "INFO"}) {
            for (std::size_t at = buffer.find(marker); at != std::string::npos; at = buffer.find(marker, at + 1)) {
                if (std::string why = replayListParse(io, begin + std::int64_t(at), bigEndian); !why.empty())
                    return why;
            }
        }
    }
    return {};
}

WavChunks readWavChunks(const SndfileVirtualIo& io) {
    WavChunks out;
    unsigned char riff[12];
    if (io.readAt(0, riff, 12) != 12) return out;
    if ((std::memcmp(riff, "RIFF", 4) != 0 && std::memcmp(riff, "RF64", 4) != 0) || std::memcmp(riff + 8, "WAVE", 4) != 0)
        return out;
    // Walk to the end of the file rather than the RIFF size (RF64 stores
    // 0xFFFFFFFF there, and recorders that crashed leave it wrong).
    const std::int64_t fileEnd = io.size();
    bool haveInfo = false;
    std::int64_t pos = 12;
    for (int i = 0; i < kMaxWavChunks && pos + 8 <= fileEnd; ++i) {
        unsigned char header[12];
        const std::size_t got = io.readAt(pos, header, 12);
        if (got < 8) break;
        const std::int64_t size = le32(header + 4);
        const std::int64_t payload = pos + 8;
        if (!haveInfo && std::memcmp(header, "LIST", 4) == 0 && got == 12 && size >= 4 &&
            std::memcmp(header + 8, "INFO", 4) == 0) {
            out.tags = readInfoList(io, payload + 4, payload + std::min(size, fileEnd - payload));
            haveInfo = true;
        }
        if (std::memcmp(header, "data", 4) == 0 && out.dataOffset < 0) {
            // RF64 gives 0xFFFFFFFF here (the size is in ds64): past it there
            // is nothing this reader can find.
            if (size == 0xFFFFFFFF) break;
            out.dataOffset = payload;
            out.dataBytes = size;
        }
        pos = payload + size + (size & 1);
    }
    return out;
}

}  // namespace latent
