#include "latent/media/ImageExport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "latent/Error.h"

namespace latent {

std::string a1111Parameters(const Provenance& p, int width, int height) {
    std::string s = p.prompt.empty() ? std::string() : p.prompt + "\n";
    s += "Seed: " + std::to_string(p.seed) + ", Size: " + std::to_string(width) + "x" + std::to_string(height);
    if (!p.modelSha256.empty()) s += ", Model hash: " + p.modelSha256.substr(0, 10);
    s += ", Model: " + p.modelId + ", Task: " + p.task;
    for (const auto& [name, value] : p.params) s += ", " + name + ": " + paramValueToString(value);
    s += ", Device: " + p.device + ", Version: latent-studio " + p.appVersion;
    return s;
}

std::vector<PngText> provenancePngTexts(const Provenance& p, int width, int height) {
    return {PngText{kProvenancePngKey, provenanceToJson(p), true},
            PngText{"parameters", a1111Parameters(p, width, height), false}};
}

void exportPng(const std::filesystem::path& path, const ImageFrame& frame, const Provenance& provenance,
               const AtomicWriteOptions& options) {
    writePng(path, frame, provenancePngTexts(provenance, frame.width, frame.height), options);
}

std::optional<Provenance> readPngProvenance(const std::filesystem::path& path) {
    // Chunk by chunk, seeking past image data: a 2 GB PNG costs a few reads,
    // and a FIFO or device is refused before it could block or stream forever.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw Error(ErrorKind::Io, "cannot read " + path.string() + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(ErrorKind::Io, "cannot read " + path.string() + ": not a regular file");
    }
    std::unique_ptr<FILE, int (*)(FILE*)> file(::fdopen(fd, "rb"), &std::fclose);
    if (!file) {
        ::close(fd);
        throw Error(ErrorKind::Io, "cannot read " + path.string());
    }
    unsigned char head[8];
    if (std::fread(head, 1, 8, file.get()) != 8 || std::memcmp(head, "\x89PNG\r\n\x1a\n", 8) != 0)
        throw Error(ErrorKind::Format, path.string() + " is not a PNG file");
    constexpr std::uint32_t kMaxTextChunk = 16u << 20;  // provenance with a latent is far smaller
    for (int chunks = 0; chunks < 100000; ++chunks) {
        if (std::fread(head, 1, 8, file.get()) != 8) break;  // truncated: no provenance found
        const std::uint32_t len = (std::uint32_t(head[0]) << 24) | (std::uint32_t(head[1]) << 16) |
                                  (std::uint32_t(head[2]) << 8) | std::uint32_t(head[3]);
        const std::string type(reinterpret_cast<const char*>(head + 4), 4);
        if (type == "IEND") break;
        if (type == "iTXt" && len <= kMaxTextChunk) {
            std::string data(len, '\0');
            if (std::fread(data.data(), 1, len, file.get()) != len) break;
            const auto keyEnd = data.find('\0');
            if (keyEnd != std::string::npos && data.compare(0, keyEnd, kProvenancePngKey) == 0 &&
                keyEnd + 3 <= data.size() && data[keyEnd + 1] == 0) {
                // Skip compression method, language tag and translated keyword.
                std::size_t t = keyEnd + 3;
                t = data.find('\0', t);
                if (t != std::string::npos) t = data.find('\0', t + 1);
                if (t != std::string::npos) return provenanceFromJson(data.substr(t + 1));
            }
            if (::fseeko(file.get(), 4, SEEK_CUR) != 0) break;  // the CRC
        } else if (::fseeko(file.get(), off_t(len) + 4, SEEK_CUR) != 0) {
            break;
        }
    }
    return std::nullopt;
}

}  // namespace latent
