#include "latent/formats/Json.h"

#include <cmath>
#include <limits>

#include "latent/formats/ReadFile.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent {

void checkJsonLimits(std::string_view text, const std::string& source, ErrorKind kind, const JsonLimits& limits) {
    if (text.size() > limits.maxBytes)
        throw Error(kind, source + ": " + byteSizeText(text.size()) + " of JSON, more than the " +
                              byteSizeText(limits.maxBytes) + " allowed here");
    // Brackets outside strings give the nesting depth; parse errors are left
    // to the parser. Deep nesting is refused because code that walks a value
    // (copying, printing, comparing) recurses once per level.
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limits.maxDepth)
                throw Error(kind, source + ": JSON nested more than " + std::to_string(limits.maxDepth) +
                                      " levels deep (at byte " + std::to_string(i) + ")");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

json parseJson(std::string_view text, const std::string& source, ErrorKind kind, const JsonLimits& limits) {
    checkJsonLimits(text, source, kind, limits);
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw Error(kind, source + ": not valid JSON (" + e.what() + ")");
    }
}

json readJsonFile(const fs::path& file, ErrorKind kind, const JsonLimits& limits) {
    return parseJson(readFileBounded(file, kind, limits.maxBytes), file.string(), kind, limits);
}

std::optional<json> readJsonFileIfPresent(const fs::path& file, ErrorKind kind, const JsonLimits& limits) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec)) && !fs::exists(file, ec)) return std::nullopt;
    return readJsonFile(file, kind, limits);
}

std::string dumpJson(const json& value, int indent) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string dumpJson(const nlohmann::ordered_json& value, int indent) {
    return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string dumpJsonFile(const json& value) {
    std::string compact = dumpJson(value);
    if (compact.size() >= (64u << 10)) return compact + "\n";
    return dumpJson(value, 2) + "\n";
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c >> 5) == 0x6) n = 1, cp = c & 0x1F;
        else if ((c >> 4) == 0xE) n = 2, cp = c & 0x0F;
        else if ((c >> 3) == 0x1E) n = 3, cp = c & 0x07;
        else return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= text.size()) return false;
            const auto d = static_cast<unsigned char>(text[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

std::string jsonTypeDescription(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "a list";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "a whole number";
        case json::value_t::number_float: return "a number";
        case json::value_t::binary: return "binary data";
        case json::value_t::discarded: break;
    }
    return "an invalid value";
}

JsonReader::JsonReader(const json& value, std::string source, ErrorKind kind, std::string path)
    : m_value(value), m_source(std::move(source)), m_kind(kind), m_path(std::move(path)) {}

std::string JsonReader::fieldName(std::string_view key) const {
    if (m_path.empty()) return std::string(key);
    if (key.empty()) return m_path;
    return m_path + "." + std::string(key);
}

void JsonReader::fail(std::string_view key, const std::string& problem) const {
    throw Error(m_kind, m_source + ": field '" + fieldName(key) + "' " + problem);
}

void JsonReader::failHere(const std::string& problem) const {
    if (m_path.empty()) throw Error(m_kind, m_source + ": " + problem);
    fail({}, problem);
}

void JsonReader::requireObject() const {
    if (!m_value.is_object()) failHere("must be a JSON object (it is " + jsonTypeDescription(m_value) + ")");
}

const json* JsonReader::optionalField(std::string_view key) const {
    requireObject();
    const auto it = m_value.find(key);
    if (it == m_value.end() || it->is_null()) return nullptr;
    return &*it;
}

const json& JsonReader::field(std::string_view key, const char* expected) const {
    const json* v = optionalField(key);
    if (!v) fail(key, std::string("is missing (expected ") + expected + ")");
    return *v;
}

bool JsonReader::has(std::string_view key) const {
    if (!m_value.is_object()) return false;
    const auto it = m_value.find(key);
    return it != m_value.end() && !it->is_null();
}

const json& JsonReader::raw(std::string_view key) const {
    static const json null;
    const json* v = optionalField(key);
    return v ? *v : null;
}

JsonReader JsonReader::child(const json& value, std::string path) const {
    return JsonReader(value, m_source, m_kind, std::move(path));
}

std::string JsonReader::string(std::string_view key) const {
    const json& v = field(key, "a string");
    if (!v.is_string()) fail(key, "must be a string (it is " + jsonTypeDescription(v) + ")");
    return v.get<std::string>();
}

std::string JsonReader::string(std::string_view key, const std::string& fallback) const {
    return optionalField(key) ? string(key) : fallback;
}

std::string JsonReader::nonEmptyString(std::string_view key) const {
    std::string s = string(key);
    if (s.empty()) fail(key, "must not be empty");
    return s;
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
    return child(field(key, "a whole number"), fieldName(key)).asInteger(min, max);
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const {
    return optionalField(key) ? integer(key, min, max) : fallback;
}

std::uint64_t JsonReader::unsignedInteger(std::string_view key) const {
    const json& v = field(key, "a whole number");
    if (!v.is_number_unsigned()) fail(key, "must be a non-negative whole number (it is " + jsonTypeDescription(v) + ")");
    return v.get<std::uint64_t>();
}

double JsonReader::number(std::string_view key, double min, double max) const {
    return child(field(key, "a number"), fieldName(key)).asNumber(min, max);
}

double JsonReader::number(std::string_view key, double fallback, double min, double max) const {
    return optionalField(key) ? number(key, min, max) : fallback;
}

bool JsonReader::boolean(std::string_view key) const {
    const json& v = field(key, "true or false");
    if (!v.is_boolean()) fail(key, "must be true or false (it is " + jsonTypeDescription(v) + ")");
    return v.get<bool>();
}

bool JsonReader::boolean(std::string_view key, bool fallback) const {
    return optionalField(key) ? boolean(key) : fallback;
}

std::vector<std::string> JsonReader::stringList(std::string_view key) const {
    std::vector<std::string> out;
    const auto list = optionalArray(key);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) out.push_back(list->at(i).asString());
    return out;
}

JsonReader JsonReader::object(std::string_view key) const {
    const json& v = field(key, "an object");
    if (!v.is_object()) fail(key, "must be an object (it is " + jsonTypeDescription(v) + ")");
    return child(v, fieldName(key));
}

std::optional<JsonReader> JsonReader::optionalObject(std::string_view key) const {
    if (!optionalField(key)) return std::nullopt;
    return object(key);
}

JsonReader JsonReader::array(std::string_view key) const {
    const json& v = field(key, "a list");
    if (!v.is_array()) fail(key, "must be a list (it is " + jsonTypeDescription(v) + ")");
    return child(v, fieldName(key));
}

std::optional<JsonReader> JsonReader::optionalArray(std::string_view key) const {
    if (!optionalField(key)) return std::nullopt;
    return array(key);
}

std::size_t JsonReader::size() const {
    if (!m_value.is_array() && !m_value.is_object())
        failHere("must be a list (it is " + jsonTypeDescription(m_value) + ")");
    return m_value.size();
}

JsonReader JsonReader::at(std::size_t index) const {
    if (!m_value.is_array()) failHere("must be a list (it is " + jsonTypeDescription(m_value) + ")");
    return child(m_value.at(index), (m_path.empty() ? std::string("[") : m_path + "[") + std::to_string(index) + "]");
}

std::vector<std::pair<std::string, JsonReader>> JsonReader::members() const {
    requireObject();
    std::vector<std::pair<std::string, JsonReader>> out;
    out.reserve(m_value.size());
    for (auto it = m_value.begin(); it != m_value.end(); ++it) out.emplace_back(it.key(), child(*it, fieldName(it.key())));
    return out;
}

std::string JsonReader::asString() const {
    if (!m_value.is_string()) failHere("must be a string (it is " + jsonTypeDescription(m_value) + ")");
    return m_value.get<std::string>();
}

std::int64_t JsonReader::asInteger(std::int64_t min, std::int64_t max) const {
    std::int64_t v = 0;
    if (m_value.is_number_unsigned()) {
        const auto u = m_value.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            failHere("is " + std::to_string(u) + ", more than " + std::to_string(max));
        v = static_cast<std::int64_t>(u);
    } else if (m_value.is_number_integer()) {
        v = m_value.get<std::int64_t>();
    } else {
        failHere("must be a whole number (it is " + jsonTypeDescription(m_value) + ")");
    }
    if (v < min || v > max)
        failHere("is " + std::to_string(v) + "; it must be between " + std::to_string(min) + " and " +
                 std::to_string(max));
    return v;
}

double JsonReader::asNumber(double min, double max) const {
    if (!m_value.is_number()) failHere("must be a number (it is " + jsonTypeDescription(m_value) + ")");
    const double v = m_value.get<double>();
    if (!std::isfinite(v) || v < min || v > max)
        failHere("is " + dumpJson(m_value) + "; it must be between " + dumpJson(json(min)) + " and " +
                 dumpJson(json(max)));
    return v;
}

}  // namespace latent
