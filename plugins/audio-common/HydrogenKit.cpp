#include "HydrogenKit.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>

#include <pugixml.hpp>

#include "latent/Error.h"

namespace latent::audio {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxXmlBytes = 4u << 20;
constexpr std::size_t kMaxInstruments = 4096;
constexpr std::size_t kMaxLayersPerInstrument = 256;

std::string trimmed(const char* s) {
    std::string_view v(s);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    return std::string(v);
}

std::string childText(const pugi::xml_node& node, const char* name) {
    return trimmed(node.child(name).text().as_string());
}

double childNumber(const pugi::xml_node& node, const char* name, double fallback) {
    const pugi::xml_node c = node.child(name);
    if (!c) return fallback;
    const std::string t = trimmed(c.text().as_string());
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end == t.c_str() || !std::isfinite(v)) return fallback;
    return v;
}

// A layer file name from drumkit.xml, resolved inside the kit folder; empty
// when it tries to leave it.
fs::path resolveInside(const fs::path& dir, const std::string& fileName) {
    const fs::path rel = fs::path(fileName).lexically_normal();
    if (fileName.empty() || rel.is_absolute() || rel.has_root_name() || rel.has_root_directory()) return {};
    for (const fs::path& part : rel)
        if (part == "..") return {};
    return dir / rel;
}

}  // namespace

HydrogenKit loadHydrogenKit(const fs::path& dir, std::vector<std::string>* notices) {
    const fs::path xmlPath = dir / "drumkit.xml";
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(xmlPath, ec);
    if (ec) throw Error(ErrorKind::Io, xmlPath.string() + ": cannot read (" + ec.message() + ")");
    if (size > kMaxXmlBytes)
        throw Error(ErrorKind::Io, xmlPath.string() + ": " + std::to_string(size) +
                                       " bytes, larger than a drumkit.xml can be (4 MiB)");
    std::ifstream in(xmlPath, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), std::streamsize(size));
    if (!in && !in.eof()) throw Error(ErrorKind::Io, xmlPath.string() + ": read failed");
    text.resize(static_cast<std::size_t>(in.gcount()));

    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size(), pugi::parse_default);
    if (!parsed)
        throw Error(ErrorKind::Format, xmlPath.string() + ": not valid XML at byte " +
                                           std::to_string(parsed.offset) + " (" + parsed.description() + ")");
    const pugi::xml_node root = doc.child("drumkit_info");
    if (!root) throw Error(ErrorKind::Format, xmlPath.string() + ": no <drumkit_info> element");

    HydrogenKit kit;
    kit.dir = dir;
    kit.folderName = dir.filename().string();
    kit.name = childText(root, "name");
    if (kit.name.empty()) kit.name = kit.folderName;
    kit.author = childText(root, "author");
    kit.license = childText(root, "license");

    const pugi::xml_node list = root.child("instrumentList");
    std::size_t missing = 0;
    std::string firstMissing;
    std::size_t outside = 0;
    for (const pugi::xml_node inst : list.children("instrument")) {
        if (kit.instruments.size() >= kMaxInstruments) {
            if (notices)
                notices->push_back(xmlPath.string() + ": more than " + std::to_string(kMaxInstruments) +
                                   " instruments, the rest ignored");
            break;
        }
        HydrogenInstrument hi;
        hi.name = childText(inst, "name");
        // Hydrogen 0.9.3 put one <filename> in the instrument, later versions
        // <layer>s, 0.9.7 wrapped those in <instrumentComponent>.
        std::vector<pugi::xml_node> layerNodes;
        if (inst.child("filename")) layerNodes.push_back(inst);
        for (const pugi::xml_node l : inst.children("layer")) layerNodes.push_back(l);
        for (const pugi::xml_node comp : inst.children("instrumentComponent"))
            for (const pugi::xml_node l : comp.children("layer")) layerNodes.push_back(l);
        for (const pugi::xml_node& ln : layerNodes) {
            if (hi.layers.size() >= kMaxLayersPerInstrument) break;
            HydrogenLayer layer;
            layer.fileName = childText(ln, "filename");
            if (layer.fileName.empty()) continue;
            layer.minVelocity = std::clamp(childNumber(ln, "min", 0.0), 0.0, 1.0);
            layer.maxVelocity = std::clamp(childNumber(ln, "max", 1.0), 0.0, 1.0);
            if (layer.maxVelocity < layer.minVelocity) std::swap(layer.minVelocity, layer.maxVelocity);
            layer.file = resolveInside(dir, layer.fileName);
            if (layer.file.empty()) {
                ++outside;
                continue;
            }
            std::error_code fe;
            if (!fs::is_regular_file(layer.file, fe)) {
                if (missing++ == 0) firstMissing = layer.fileName;
                continue;
            }
            hi.layers.push_back(std::move(layer));
        }
        kit.instruments.push_back(std::move(hi));
    }
    if (notices && missing > 0)
        notices->push_back("hydrogen kit '" + kit.folderName + "': " + std::to_string(missing) +
                           " layer file(s) named in drumkit.xml are missing (first: " + firstMissing + ")");
    if (notices && outside > 0)
        notices->push_back("hydrogen kit '" + kit.folderName + "': " + std::to_string(outside) +
                           " layer file name(s) point outside the kit folder, ignored");
    return kit;
}

std::vector<fs::path> hydrogenKitFolders(const fs::path& root) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code e2;
        if (it->is_directory(e2) && fs::exists(it->path() / "drumkit.xml", e2)) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) {
        return a.filename().string() < b.filename().string();
    });
    return out;
}

}  // namespace latent::audio
