#include "latent/media/PngWriter.h"

#include <array>
#include <cstdint>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"

#if LATENT_HAVE_ZLIB
#include <zlib.h>
#endif

namespace latent {
namespace {

const std::array<std::uint32_t, 256>& crcTable() {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    return table;
}

std::uint32_t crc32(const std::string& bytes, std::size_t from) {
    std::uint32_t c = 0xffffffffu;
    for (std::size_t i = from; i < bytes.size(); ++i)
        c = crcTable()[(c ^ std::uint8_t(bytes[i])) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

void put32(std::string& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(char((v >> s) & 0xff));
}

void chunk(std::string& out, const char* type, const std::string& data) {
    put32(out, std::uint32_t(data.size()));
    const std::size_t start = out.size();
    out.append(type, 4);
    out += data;
    put32(out, crc32(out, start));
}

std::string deflate(const std::string& raw) {
#if LATENT_HAVE_ZLIB
    uLongf size = compressBound(uLong(raw.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                  uLong(raw.size()), 6) != Z_OK)
        throw Error(ErrorKind::Runtime, "PNG compression failed");
    out.resize(size);
    return out;
#else
    // A valid zlib stream of stored (uncompressed) blocks: larger files, no dependency.
    std::string out = "\x78\x01";
    std::size_t pos = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
        const bool last = pos + n == raw.size();
        out.push_back(last ? 1 : 0);
        out.push_back(char(n & 0xff));
        out.push_back(char(n >> 8));
        out.push_back(char(~n & 0xff));
        out.push_back(char((~n >> 8) & 0xff));
        out.append(raw, pos, n);
        pos += n;
    } while (pos < raw.size());
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    put32(out, (b << 16) | a);
    return out;
#endif
}

}  // namespace

std::string encodePng(const ImageFrame& frame, const std::vector<PngText>& texts) {
    if (frame.width <= 0 || frame.height <= 0 || !frame.rgba ||
        frame.rgba->size() != std::size_t(frame.width) * std::size_t(frame.height) * 4)
        throw Error(ErrorKind::BadArgument, "cannot encode an empty or inconsistent image as PNG");
    std::string out = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    put32(ihdr, std::uint32_t(frame.width));
    put32(ihdr, std::uint32_t(frame.height));
    ihdr += std::string("\x08\x06\x00\x00\x00", 5);  // 8-bit RGBA, deflate, no filter method, no interlace
    chunk(out, "IHDR", ihdr);
    for (const auto& t : texts) {
        if (t.keyword.empty() || t.keyword.size() > 79)
            throw Error(ErrorKind::BadArgument, "PNG text keyword must be 1-79 characters");
        std::string data = t.keyword;
        data.push_back('\0');
        if (t.international) data += std::string("\0\0\0\0", 4);  // uncompressed, no language, no translated key
        data += t.text;
        chunk(out, t.international ? "iTXt" : "tEXt", data);
    }
    const std::size_t stride = std::size_t(frame.width) * 4;
    std::string raw;
    raw.reserve((stride + 1) * std::size_t(frame.height));
    for (int y = 0; y < frame.height; ++y) {
        raw.push_back('\0');  // filter: none
        raw.append(reinterpret_cast<const char*>(frame.rgba->data()) + std::size_t(y) * stride, stride);
    }
    chunk(out, "IDAT", deflate(raw));
    chunk(out, "IEND", {});
    return out;
}

void writePng(const std::filesystem::path& path, const ImageFrame& frame, const std::vector<PngText>& texts,
              const AtomicWriteOptions& options) {
    writeFileAtomic(path, encodePng(frame, texts), options);
}

}  // namespace latent
