#pragma once
// GGUF reader (v2 and v3, little-endian), the file llama.cpp and the local
// LLM apps share: header, typed metadata, tensor descriptions and zero-copy
// views of the tensor data in a read-only mapping.
//
// Every count, length and offset is checked against the bytes that remain,
// so no input makes it allocate more than its own size justifies, and every
// problem is Error(Format) naming the file and what is wrong.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace latent {

class MappedFile;

// The metadata value types of the GGUF specification (their numbers are the file's).
enum class GgufType : std::uint32_t {
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
};
const char* ggufTypeName(GgufType type);

struct GgufValue;

// An array: numbers and bools stay in the mapping (a vocabulary's scores cost
// nothing to read); strings and nested arrays are decoded.
struct GgufArray {
    GgufType elementType = GgufType::UInt8;
    std::uint64_t size = 0;
    const std::uint8_t* raw = nullptr;  // numbers and bools: `size` packed little-endian elements
    std::vector<GgufValue> items;       // strings and arrays
    GgufValue at(std::uint64_t index) const;  // index < size
};

struct GgufValue {
    GgufType type = GgufType::UInt8;
    // Unsigned integers as uint64, signed as int64, floats as double.
    std::variant<std::uint64_t, std::int64_t, double, bool, std::string, GgufArray> value;

    bool isInteger() const;
    bool isNumber() const;  // an integer or a float
    // nullopt when the value is not of that kind (or out of range for it).
    std::optional<std::uint64_t> asUnsigned() const;
    std::optional<std::int64_t> asSigned() const;
    std::optional<double> asNumber() const;
    const std::string* asString() const;
    const GgufArray* asArray() const;
};

// ggml's tensor types (numbers as in the file) with their block layout.
struct GgmlTypeInfo {
    const char* name;      // "Q4_K"
    int blockElements;     // elements per block (1 for plain types)
    int blockBytes;        // bytes per block
};
// nullopt for a type this reader does not know (its number goes into the message).
std::optional<GgmlTypeInfo> ggmlTypeInfo(std::uint32_t type);

struct GgufTensor {
    std::string name;
    std::vector<std::uint64_t> shape;  // ggml order: shape[0] is the fastest-moving dimension
    std::uint32_t type = 0;            // ggml type number
    std::uint64_t offset = 0;          // from the start of the data section
    const std::uint8_t* data = nullptr;  // valid while the GgufFile lives
    std::uint64_t bytes = 0;
    std::uint64_t elements() const;
};

class GgufFile {
public:
    explicit GgufFile(const std::filesystem::path& path);
    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::uint32_t version() const { return m_version; }
    std::uint64_t fileBytes() const;
    std::uint32_t alignment() const { return m_alignment; }
    std::uint64_t dataOffset() const { return m_dataOffset; }

    // In file order; keys are unique.
    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return m_metadata; }
    const GgufValue* find(const std::string& key) const;
    // Typed look-ups for the common keys; Error(Format) naming the key when
    // present with another type, nullopt when absent.
    std::optional<std::string> string(const std::string& key) const;
    std::optional<std::uint64_t> unsignedInteger(const std::string& key) const;
    std::optional<double> number(const std::string& key) const;
    std::string architecture() const;  // general.architecture; Error(Format) when missing

    const std::vector<GgufTensor>& tensors() const { return m_tensors; }  // in file order
    const GgufTensor* tensor(const std::string& name) const;              // null when absent

private:
    std::filesystem::path m_path;
    std::unique_ptr<MappedFile> m_file;
    std::uint32_t m_version = 0;
    std::uint32_t m_alignment = 32;
    std::uint64_t m_dataOffset = 0;
    std::vector<std::pair<std::string, GgufValue>> m_metadata;
    std::map<std::string, std::size_t> m_metadataIndex;
    std::vector<GgufTensor> m_tensors;
    std::map<std::string, std::size_t> m_tensorIndex;
};

}  // namespace latent
