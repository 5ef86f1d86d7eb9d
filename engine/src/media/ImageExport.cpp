#include "latent/media/ImageExport.h"

#include <fstream>
#include <iterator>

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

void exportPng(const std::filesystem::path& path, const ImageFrame& frame, const Provenance& provenance) {
    writePng(path, frame, provenancePngTexts(provenance, frame.width, frame.height));
}

std::optional<Provenance> readPngProvenance(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::Io, "cannot read " + path.string());
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) throw Error(ErrorKind::Format, path.string() + " is not a PNG file");
    std::size_t pos = 8;
    auto be32 = [&](std::size_t at) {
        return (std::uint32_t(std::uint8_t(bytes[at])) << 24) | (std::uint32_t(std::uint8_t(bytes[at + 1])) << 16) |
               (std::uint32_t(std::uint8_t(bytes[at + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[at + 3]));
    };
    while (pos + 12 <= bytes.size()) {
        const std::size_t len = be32(pos);
        if (len > bytes.size() - pos - 12) break;  // truncated: stop, do not read past the end
        const std::string type = bytes.substr(pos + 4, 4);
        const std::string data = bytes.substr(pos + 8, len);
        if (type == "iTXt") {
            const auto keyEnd = data.find('\0');
            if (keyEnd != std::string::npos && data.substr(0, keyEnd) == kProvenancePngKey &&
                keyEnd + 3 <= data.size() && data[keyEnd + 1] == 0) {
                // Skip compression method, language tag and translated keyword.
                std::size_t t = keyEnd + 3;
                t = data.find('\0', t);
                if (t != std::string::npos) t = data.find('\0', t + 1);
                if (t != std::string::npos) return provenanceFromJson(data.substr(t + 1));
            }
        }
        if (type == "IEND") break;
        pos += 12 + len;
    }
    return std::nullopt;
}

}  // namespace latent
