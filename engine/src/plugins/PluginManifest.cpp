#include "plugins/PluginManifest.h"

#include <charconv>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "latent/formats/Json.h"

#include "latent/plugin/PluginApi.h"

namespace latent {

namespace {

using nlohmann::json;

// The id names the library and the model family, so keep it to characters
// that are safe in file names and readable in logs.
bool isValidId(const std::string& id)
{
    if (id.empty() || id.front() == '.' || id.front() == '-')
        return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

// "major.minor" with both parts decimal numbers.
unsigned long parseAbiMajor(const JsonReader& r, const std::string& abi)
{
    const auto dot = abi.find('.');
    const auto isNumber = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (dot == std::string::npos || !isNumber(std::string_view(abi).substr(0, dot)) ||
        !isNumber(std::string_view(abi).substr(dot + 1)))
        r.fail("abi", "must look like \"1.0\" (major.minor), not \"" + abi + "\"");
    unsigned long major = 0;
    const auto [end, ec] = std::from_chars(abi.data(), abi.data() + dot, major);
    if (ec != std::errc())
        r.fail("abi", "has an out-of-range major version: \"" + abi + "\"");
    return major;
}

std::vector<std::string> nonEmptyStrings(const JsonReader& list)
{
    std::vector<std::string> items;
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string item = list.at(i).asString();
        if (item.empty())
            list.at(i).failHere("must not be empty");
        items.push_back(std::move(item));
    }
    return items;
}

// Fills `record` field by field; the id goes in as soon as it is known so a
// later problem is reported under the plugin's own id.
void parseInto(const JsonReader& r, PluginRecord& record)
{
    if (!r.isObject())
        r.failHere("must hold a JSON object");

    const std::string id = r.nonEmptyString("id");
    if (!isValidId(id))
        r.fail("id", "\"" + id + "\" may use only letters, digits, '-', '_' and '.'");
    record.id = id;
    record.name = r.nonEmptyString("name");
    record.version = r.nonEmptyString("version");
    record.abi = r.nonEmptyString("abi");
    // Refuse another major ABI before its code is ever mapped: its library may
    // not even load against this engine.
    if (const unsigned long major = parseAbiMajor(r, record.abi); major != LATENT_PLUGIN_ABI_MAJOR)
        r.fail("abi", pluginAbiMismatchMessage(major) + " (plugin.json abi \"" + record.abi + "\")");

    record.tasks = nonEmptyStrings(r.array("tasks"));
    if (const auto modalities = r.optionalArray("modalities"))
        record.modalities = nonEmptyStrings(*modalities);
    (void)r.string("description", "");
    if (const auto deps = r.optionalArray("requires")) {
        for (std::size_t i = 0; i < deps->size(); ++i) {
            const JsonReader d = deps->at(i);
            PluginDependency dep{d.nonEmptyString("id"), d.string("version", "")};
            if (!isValidId(dep.id)) d.fail("id", "\"" + dep.id + "\" is not a plugin id");
            if (dep.id == record.id) d.fail("id", "names the plugin itself");
            record.dependencies.push_back(std::move(dep));
        }
    }

    if (r.has("library")) {
        const std::string name = r.nonEmptyString("library");
        // Only a file beside plugin.json: a manifest must not point the host at
        // arbitrary code elsewhere on disk.
        if (std::filesystem::path(name).filename().string() != name || name == "." || name == "..")
            r.fail("library", "must be a file name beside plugin.json, not \"" + name + "\"");
        record.library = record.dir / name;
    }
}

}  // namespace

std::string defaultPluginLibraryName(const std::string& id)
{
    return "lib" + id + ".so";
}

std::string pluginAbiMismatchMessage(unsigned long abiMajor)
{
    return "built for plugin ABI " + std::to_string(abiMajor) + ".x; this Latent Studio supports " +
           std::to_string(LATENT_PLUGIN_ABI_MAJOR) + ".x";
}

PluginRecord readPluginManifest(const std::filesystem::path& manifestFile)
{
    PluginRecord record;
    record.dir = manifestFile.parent_path();
    record.id = record.dir.filename().string();  // until the manifest names one
    record.state = PluginState::Discovered;
    try {
        const nlohmann::json manifest = readJsonFile(manifestFile, ErrorKind::Plugin);
        parseInto(JsonReader(manifest, manifestFile.string(), ErrorKind::Plugin), record);
    } catch (const std::exception& e) {
        // Error from the reader, or anything unexpected (allocation).
        record.state = PluginState::Failed;
        record.error = record.id + ": " + e.what();
    }
    if (record.library.empty())
        record.library = record.dir / defaultPluginLibraryName(record.id);
    return record;
}

}  // namespace latent
