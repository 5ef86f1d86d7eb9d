#include "plugins/PluginManifest.h"

#include <charconv>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "latent/plugin/PluginApi.h"

namespace latent {

namespace {

using nlohmann::json;

// A problem in the manifest; turned into the record's error by the caller.
class ManifestProblem : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string quoted(const std::string& field)
{
    return "field \"" + field + "\"";
}

json readJson(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ManifestProblem("cannot be read");
    try {
        return json::parse(in, /*callback=*/nullptr, /*allow_exceptions=*/true,
                           /*ignore_comments=*/false);
    } catch (const json::parse_error& e) {
        throw ManifestProblem(std::string("is not valid JSON (") + e.what() + ")");
    }
}

const json* optionalField(const json& root, const std::string& field)
{
    const auto it = root.find(field);
    return it == root.end() || it->is_null() ? nullptr : &*it;
}

std::string requiredString(const json& root, const std::string& field)
{
    const json* value = optionalField(root, field);
    if (!value)
        throw ManifestProblem(quoted(field) + " is missing");
    if (!value->is_string() || value->get_ref<const std::string&>().empty())
        throw ManifestProblem(quoted(field) + " must be a non-empty string");
    return value->get<std::string>();
}

std::vector<std::string> stringList(const json& value, const std::string& field)
{
    if (!value.is_array())
        throw ManifestProblem(quoted(field) + " must be an array of strings");
    std::vector<std::string> items;
    for (const json& item : value) {
        if (!item.is_string() || item.get_ref<const std::string&>().empty())
            throw ManifestProblem(quoted(field) + " must contain only non-empty strings");
        items.push_back(item.get<std::string>());
    }
    return items;
}

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
unsigned long parseAbiMajor(const std::string& abi)
{
    const auto dot = abi.find('.');
    const auto isNumber = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (dot == std::string::npos || !isNumber(std::string_view(abi).substr(0, dot)) ||
        !isNumber(std::string_view(abi).substr(dot + 1)))
        throw ManifestProblem(quoted("abi") + " must look like \"1.0\" (major.minor), not \"" + abi + "\"");
    unsigned long major = 0;
    const auto [end, ec] = std::from_chars(abi.data(), abi.data() + dot, major);
    if (ec != std::errc())
        throw ManifestProblem(quoted("abi") + " has an out-of-range major version: \"" + abi + "\"");
    return major;
}

// Fills `record` field by field; the id goes in as soon as it is known so a
// later problem is reported under the plugin's own id.
void parseInto(const json& root, PluginRecord& record)
{
    if (!root.is_object())
        throw ManifestProblem("must hold a JSON object");

    const std::string id = requiredString(root, "id");
    if (!isValidId(id))
        throw ManifestProblem(quoted("id") + " \"" + id +
                              "\" may use only letters, digits, '-', '_' and '.'");
    record.id = id;
    record.name = requiredString(root, "name");
    record.version = requiredString(root, "version");
    record.abi = requiredString(root, "abi");
    // Refuse another major ABI before its code is ever mapped: its library may
    // not even load against this engine.
    if (const unsigned long major = parseAbiMajor(record.abi); major != LATENT_PLUGIN_ABI_MAJOR)
        throw ManifestProblem(pluginAbiMismatchMessage(major) + " (plugin.json abi \"" + record.abi + "\")");

    const json* tasks = optionalField(root, "tasks");
    if (!tasks)
        throw ManifestProblem(quoted("tasks") + " is missing");
    record.tasks = stringList(*tasks, "tasks");
    if (const json* modalities = optionalField(root, "modalities"))
        record.modalities = stringList(*modalities, "modalities");
    if (const json* description = optionalField(root, "description"); description && !description->is_string())
        throw ManifestProblem(quoted("description") + " must be a string");

    if (const json* library = optionalField(root, "library")) {
        if (!library->is_string() || library->get_ref<const std::string&>().empty())
            throw ManifestProblem(quoted("library") + " must be a non-empty string");
        const std::string name = library->get<std::string>();
        // Only a file beside plugin.json: a manifest must not point the host at
        // arbitrary code elsewhere on disk.
        if (std::filesystem::path(name).filename().string() != name || name == "." || name == "..")
            throw ManifestProblem(quoted("library") + " must be a file name beside plugin.json, not \"" +
                                  name + "\"");
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
        parseInto(readJson(manifestFile), record);
    } catch (const std::exception& e) {
        // ManifestProblem, or anything unexpected from the JSON library.
        record.state = PluginState::Failed;
        record.error = record.id + ": " + manifestFile.string() + ": " + e.what();
    }
    if (record.library.empty())
        record.library = record.dir / defaultPluginLibraryName(record.id);
    return record;
}

}  // namespace latent
