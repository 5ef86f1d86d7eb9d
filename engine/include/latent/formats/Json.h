#pragma once
// The one JSON policy for bytes from outside (docs/decisions.md, "JSON"):
// parse with a size and nesting limit, check every field's type with a
// message naming the file and the field (JsonReader), and write with invalid
// UTF-8 replaced, indented only while the text stays small.
//
//   const nlohmann::json doc = readJsonFile(dir / "config.json", ErrorKind::ModelPackage);
//   const JsonReader config(doc, "config.json", ErrorKind::ModelPackage);
//   const std::int64_t layers = config.integer("n_layer", 1, 1024);   // required
//   const bool tied = config.boolean("tie_word_embeddings", true);      // optional
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "latent/Error.h"

namespace latent {

struct JsonLimits {
    std::size_t maxBytes = 64u << 20;  // larger texts are refused before parsing
    int maxDepth = 64;                 // no real file we read nests deeper than ~8
};

// Throws Error(kind) "<source>: ..." when `text` is larger or nests deeper
// than the limits; cheap (one pass), so callers with their own parser
// (safetensors keeps key order) run it first.
void checkJsonLimits(std::string_view text, const std::string& source, ErrorKind kind, const JsonLimits& limits = {});

// Parses `text` within the limits; Error(kind) names `source` and the problem.
nlohmann::json parseJson(std::string_view text, const std::string& source, ErrorKind kind = ErrorKind::Format,
                         const JsonLimits& limits = {});
// Reads and parses a file: a folder, an unreadable file or one over the size
// limit is Error(kind) naming it (a folder is never read as a file).
nlohmann::json readJsonFile(const std::filesystem::path& file, ErrorKind kind = ErrorKind::Format,
                            const JsonLimits& limits = {});
// The same, but nullopt when the file does not exist.
std::optional<nlohmann::json> readJsonFileIfPresent(const std::filesystem::path& file,
                                                    ErrorKind kind = ErrorKind::Format,
                                                    const JsonLimits& limits = {});

// Text for JSON that holds outside strings: invalid UTF-8 becomes U+FFFD
// instead of throwing. `indent` < 0 is compact.
std::string dumpJson(const nlohmann::json& value, int indent = -1);
std::string dumpJson(const nlohmann::ordered_json& value, int indent = -1);
// For files people read (model.json): indented while the compact text is
// under 64 KiB, compact beyond (indentation multiplies size by depth).
std::string dumpJsonFile(const nlohmann::json& value);

// Whether `text` is well-formed UTF-8 (what JSON strings, Qt's QString and
// provenance need; a path that is not cannot round-trip through them).
bool isValidUtf8(std::string_view text);

// Type-checked access to one JSON object (or array) with messages like
//   "/m/config.json: field 'rope_scaling.factor' must be a number (it is a string)".
// Optional getters treat a missing key and null alike. The viewed value must
// outlive the reader.
class JsonReader {
public:
    JsonReader(const nlohmann::json& value, std::string source, ErrorKind kind = ErrorKind::Format,
               std::string path = {});

    const nlohmann::json& value() const { return m_value; }
    const std::string& source() const { return m_source; }
    ErrorKind kind() const { return m_kind; }
    // "rope_scaling.factor", "files[2].path": the field's name for messages.
    std::string fieldName(std::string_view key) const;
    [[noreturn]] void fail(std::string_view key, const std::string& problem) const;
    [[noreturn]] void failHere(const std::string& problem) const;  // about this value itself

    bool has(std::string_view key) const;  // present and not null (false when not an object)
    // The field itself, or null when absent; fails when this is not an object.
    const nlohmann::json& raw(std::string_view key) const;

    std::string string(std::string_view key) const;  // required, may be empty
    std::string string(std::string_view key, const std::string& fallback) const;
    std::string nonEmptyString(std::string_view key) const;
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) const;
    std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
    std::uint64_t unsignedInteger(std::string_view key) const;  // required, >= 0
    double number(std::string_view key, double min, double max) const;
    double number(std::string_view key, double fallback, double min, double max) const;
    bool boolean(std::string_view key) const;
    bool boolean(std::string_view key, bool fallback) const;
    std::vector<std::string> stringList(std::string_view key) const;  // optional: empty when absent

    JsonReader object(std::string_view key) const;                  // required
    std::optional<JsonReader> optionalObject(std::string_view key) const;
    JsonReader array(std::string_view key) const;                   // required
    std::optional<JsonReader> optionalArray(std::string_view key) const;

    // Arrays: size() and element i (its name is "key[i]").
    std::size_t size() const;
    JsonReader at(std::size_t index) const;
    // Objects: every member as a reader ("key.member").
    std::vector<std::pair<std::string, JsonReader>> members() const;

    bool isObject() const { return m_value.is_object(); }
    bool isArray() const { return m_value.is_array(); }
    // This value as a type, failing with its own name.
    std::string asString() const;
    std::int64_t asInteger(std::int64_t min, std::int64_t max) const;
    double asNumber(double min, double max) const;

private:
    const nlohmann::json& field(std::string_view key, const char* expected) const;  // required, non-null
    const nlohmann::json* optionalField(std::string_view key) const;                // absent/null -> nullptr
    void requireObject() const;
    JsonReader child(const nlohmann::json& value, std::string path) const;

    const nlohmann::json& m_value;
    std::string m_source;
    ErrorKind m_kind;
    std::string m_path;
};

// "a string", "an object", ...: a JSON value's type for messages.
std::string jsonTypeDescription(const nlohmann::json& value);

}  // namespace latent
