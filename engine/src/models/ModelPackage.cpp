#include "latent/ModelPackage.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent {
namespace {

bool validSha(const std::string& s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isdigit(c) || (c >= 'a' && c <= 'f');
    });
}

bool safeRelative(const std::string& p) {
    const fs::path path(p);
    if (p.empty() || path.is_absolute()) return false;
    return std::none_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
}

}  // namespace

namespace {

// "1.4.0" -> {1, 4, 0}; nullopt unless every part is a number.
std::optional<std::vector<long>> versionParts(const std::string& v) {
    std::vector<long> parts;
    std::size_t start = 0;
    while (start <= v.size()) {
        const std::size_t dot = std::min(v.find('.', start), v.size());
        const std::string part = v.substr(start, dot - start);
        if (part.empty() || part.size() > 9 || !std::all_of(part.begin(), part.end(), ::isdigit)) return std::nullopt;
        parts.push_back(std::stol(part));
        start = dot + 1;
    }
    return parts;
}

}  // namespace

bool versionCompatible(const std::string& have, const std::string& want) {
    if (want.empty()) return true;
    auto h = versionParts(have), w = versionParts(want);
    if (!h || !w) return have == want;
    const std::size_t n = std::max(h->size(), w->size());  // "1.2" is "1.2.0"
    h->resize(n, 0);
    w->resize(n, 0);
    if ((*h)[0] != (*w)[0]) return false;
    return !std::lexicographical_compare(h->begin(), h->end(), w->begin(), w->end());
}

bool validPackageId(const std::string& id) {
    return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    }) && id.front() != '.';
}

std::string packageIdFromName(const std::string& name, const std::string& fallback) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) out.push_back(char(std::tolower(c)));
        else if (!out.empty() && out.back() != '-') out.push_back('-');
    }
    if (out.size() > 64) out.resize(64);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? fallback : out;
}

ModelPackage readModelManifest(const fs::path& manifestFile) {
    const json j = readJsonFile(manifestFile, ErrorKind::ModelPackage);
    const JsonReader r(j, manifestFile.string(), ErrorKind::ModelPackage);
    if (!j.is_object()) r.failHere("must be a JSON object (it is " + jsonTypeDescription(j) + ")");

    ModelPackage p;
    p.dir = manifestFile.parent_path();
    p.id = r.nonEmptyString("id");
    if (!validPackageId(p.id)) r.fail("id", "may only hold letters, digits, '-', '_' and '.' (and not start with '.')");
    p.name = r.nonEmptyString("name");
    p.family = r.nonEmptyString("family");
    p.version = r.nonEmptyString("version");
    p.description = r.string("description", "");
    p.license = r.string("license", "");

    const JsonReader tasks = r.array("tasks");
    if (tasks.size() == 0) r.fail("tasks", "must be a non-empty list of task names");
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        std::string t = tasks.at(i).asString();
        if (t.find('.') == std::string::npos) tasks.at(i).failHere("must be a task name like \"image.sample\"");
        p.tasks.push_back(std::move(t));
    }

    const JsonReader files = r.array("files");
    for (std::size_t i = 0; i < files.size(); ++i) {
        const JsonReader f = files.at(i);
        if (!f.isObject()) f.failHere("must be an object with path, bytes and sha256");
        ModelFile mf;
        mf.path = f.nonEmptyString("path");
        if (!safeRelative(mf.path)) f.fail("path", "must be a relative path inside the package");
        mf.bytes = f.unsignedInteger("bytes");
        mf.sha256 = f.nonEmptyString("sha256");
        if (!validSha(mf.sha256)) f.fail("sha256", "must be 64 lower-case hex digits");
        p.files.push_back(std::move(mf));
    }

    if (const auto reqs = r.optionalArray("requires")) {
        for (std::size_t i = 0; i < reqs->size(); ++i) {
            const JsonReader q = reqs->at(i);
            ModelRequirement req;
            req.id = q.nonEmptyString("id");
            if (!validPackageId(req.id)) q.fail("id", "is not a package id");
            req.role = q.nonEmptyString("role");
            req.version = q.string("version", "");
            if (p.requirement(req.role)) q.fail("role", "'" + req.role + "' is required twice");
            if (req.id == p.id) q.fail("id", "names the package itself");
            p.requirements.push_back(std::move(req));
        }
    }

    const auto object = [&](const char* key) {
        const auto o = r.optionalObject(key);
        return o ? o->value() : json::object();
    };
    p.config = object("config");
    p.defaults = object("defaults");
    p.latent = object("latent");
    p.provenance = object("provenance");
    return p;
}

json modelManifestToJson(const ModelPackage& p) {
    json j;
    j["id"] = p.id;
    j["name"] = p.name;
    j["family"] = p.family;
    j["version"] = p.version;
    if (!p.description.empty()) j["description"] = p.description;
    j["tasks"] = p.tasks;
    j["files"] = json::array();
    for (const auto& f : p.files) j["files"].push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    if (!p.requirements.empty()) {
        j["requires"] = json::array();
        for (const auto& r : p.requirements) j["requires"].push_back({{"id", r.id}, {"role", r.role}, {"version", r.version}});
    }
    j["config"] = p.config;
    j["defaults"] = p.defaults;
    j["latent"] = p.latent;
    j["license"] = p.license;
    j["provenance"] = p.provenance;
    return j;
}

void writeModelManifest(const ModelPackage& package, const fs::path& manifestFile) {
    writeFileAtomic(manifestFile, dumpJsonFile(modelManifestToJson(package)));
}

}  // namespace latent
