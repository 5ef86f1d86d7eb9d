#include "latent/ModelPackage.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent {
namespace {

class ManifestReader {
public:
    explicit ManifestReader(fs::path file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        throw Error(ErrorKind::ModelPackage, m_file.string() + ": field '" + field + "' " + problem);
    }

    std::string string(const json& j, const std::string& key, const std::string& where, bool required) const {
        const std::string field = where.empty() ? key : where + "." + key;
        if (!j.contains(key)) {
            if (required) fail(field, "is missing");
            return {};
        }
        if (!j[key].is_string()) fail(field, "must be a string");
        const auto v = j[key].get<std::string>();
        if (required && v.empty()) fail(field, "must not be empty");
        return v;
    }

    json object(const json& j, const std::string& key) const {
        if (!j.contains(key)) return json::object();
        if (!j[key].is_object()) fail(key, "must be an object");
        return j[key];
    }

private:
    fs::path m_file;
};

bool validId(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    }) && id.front() != '.';
}

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

std::string packageIdFromName(const std::string& name, const std::string& fallback) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) out.push_back(char(std::tolower(c)));
        else if (!out.empty() && out.back() != '-') out.push_back('-');
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? fallback : out;
}

ModelPackage readModelManifest(const fs::path& manifestFile) {
    std::ifstream in(manifestFile);
    if (!in) throw Error(ErrorKind::ModelPackage, manifestFile.string() + ": cannot be read");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        throw Error(ErrorKind::ModelPackage,
                    manifestFile.string() + ": not valid JSON (" + e.what() + ")");
    }
    const ManifestReader r(manifestFile);
    if (!j.is_object()) r.fail("(top level)", "must be a JSON object");

    ModelPackage p;
    p.dir = manifestFile.parent_path();
    p.id = r.string(j, "id", "", true);
    if (!validId(p.id)) r.fail("id", "may only hold letters, digits, '-', '_' and '.'");
    p.name = r.string(j, "name", "", true);
    p.family = r.string(j, "family", "", true);
    p.version = r.string(j, "version", "", true);
    p.description = r.string(j, "description", "", false);
    p.license = r.string(j, "license", "", false);

    if (!j.contains("tasks")) r.fail("tasks", "is missing");
    if (!j["tasks"].is_array() || j["tasks"].empty()) r.fail("tasks", "must be a non-empty list of task names");
    for (std::size_t i = 0; i < j["tasks"].size(); ++i) {
        const auto& t = j["tasks"][i];
        if (!t.is_string() || t.get<std::string>().find('.') == std::string::npos)
            r.fail("tasks[" + std::to_string(i) + "]", "must be a task name like \"image.sample\"");
        p.tasks.push_back(t.get<std::string>());
    }

    if (!j.contains("files")) r.fail("files", "is missing");
    if (!j["files"].is_array()) r.fail("files", "must be a list");
    for (std::size_t i = 0; i < j["files"].size(); ++i) {
        const std::string where = "files[" + std::to_string(i) + "]";
        const auto& f = j["files"][i];
        if (!f.is_object()) r.fail(where, "must be an object with path, bytes and sha256");
        ModelFile mf;
        mf.path = r.string(f, "path", where, true);
        if (!safeRelative(mf.path)) r.fail(where + ".path", "must be a relative path inside the package");
        if (!f.contains("bytes") || !f["bytes"].is_number_unsigned())
            r.fail(where + ".bytes", "must be a non-negative whole number");
        mf.bytes = f["bytes"].get<std::uint64_t>();
        mf.sha256 = r.string(f, "sha256", where, true);
        if (!validSha(mf.sha256)) r.fail(where + ".sha256", "must be 64 lower-case hex digits");
        p.files.push_back(std::move(mf));
    }

    p.config = r.object(j, "config");
    p.defaults = r.object(j, "defaults");
    p.latent = r.object(j, "latent");
    p.provenance = r.object(j, "provenance");
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
    j["config"] = p.config;
    j["defaults"] = p.defaults;
    j["latent"] = p.latent;
    j["license"] = p.license;
    j["provenance"] = p.provenance;
    return j;
}

void writeModelManifest(const ModelPackage& package, const fs::path& manifestFile) {
    writeFileAtomic(manifestFile, modelManifestToJson(package).dump(2) + "\n");
}

}  // namespace latent
