#include "latent/formats/Gguf.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "formats/MappedFile.h"
#include "latent/Error.h"

namespace latent {
namespace {

constexpr std::uint32_t kMagic = 0x46554747;  // "GGUF" read little-endian
constexpr int kMaxArrayDepth = 4;              // real files nest none; bounds the recursion
constexpr std::uint32_t kMaxDims = 4;          // GGML_MAX_DIMS
constexpr std::uint64_t kMaxKeyBytes = 65535;  // the specification's limit
constexpr std::uint64_t kMaxNameBytes = 4096;
// Decoded array elements (strings, nested arrays) in the whole file: the
// largest vocabularies have about 260,000 tokens.
constexpr std::uint64_t kMaxDecodedElements = std::uint64_t(1) << 24;

// The fewest bytes one value of a type takes in the file: what bounds a
// count read from the file before anything is allocated for it.
std::uint64_t minimumBytes(GgufType t) {
    switch (t) {
        case GgufType::UInt8: case GgufType::Int8: case GgufType::Bool: return 1;
        case GgufType::UInt16: case GgufType::Int16: return 2;
        case GgufType::UInt32: case GgufType::Int32: case GgufType::Float32: return 4;
        case GgufType::UInt64: case GgufType::Int64: case GgufType::Float64: case GgufType::String: return 8;
        case GgufType::Array: return 12;
    }
    return 1;
}

// A bounds-checked cursor over the mapping; every failure names the file,
// the offset and what was being read.
class Cursor {
public:
    Cursor(const std::uint8_t* data, std::uint64_t size, std::string file)
        : m_data(data), m_size(size), m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorKind::Format, m_file + ": " + what + " (at byte " + std::to_string(m_pos) + ")");
    }
    std::uint64_t position() const { return m_pos; }
    const std::uint8_t* here() const { return m_data + m_pos; }
    void skip(std::uint64_t bytes) { m_pos += bytes; }  // after need()
    std::uint64_t remaining() const { return m_size - m_pos; }

    void need(std::uint64_t bytes, const char* what) const {
        if (bytes > remaining())
            fail(std::string("the file ends inside ") + what + " (truncated: " + std::to_string(bytes) + " bytes needed, " +
                 std::to_string(remaining()) + " left)");
    }
    template <typename T>
    T read(const char* what) {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, m_data + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string string(std::uint64_t maxBytes, const char* what) {
        const auto n = read<std::uint64_t>(what);
        if (n > maxBytes) fail(std::string(what) + " is " + std::to_string(n) + " bytes long (at most " +
                               std::to_string(maxBytes) + ")");
        need(n, what);
        std::string s(reinterpret_cast<const char*>(m_data + m_pos), n);
        m_pos += n;
        return s;
    }
    std::uint64_t count(std::uint64_t elementBytes, const char* what) {
        const auto n = read<std::uint64_t>(what);
        // Each element takes at least `elementBytes`: a larger count cannot be in this file.
        if (elementBytes > 0 && n > remaining() / elementBytes)
            fail(std::string(what) + " is " + std::to_string(n) + ", more than the " + std::to_string(remaining()) +
                 " bytes left can hold");
        return n;
    }

private:
    const std::uint8_t* m_data;
    std::uint64_t m_size;
    std::uint64_t m_pos = 0;
    std::string m_file;
};

GgufValue decodeScalar(const std::uint8_t* p, GgufType type) {
    GgufValue v;
    v.type = type;
    auto get = [p](auto zero) {
        decltype(zero) x;
        std::memcpy(&x, p, sizeof x);
        return x;
    };
    switch (type) {
        case GgufType::UInt8: v.value = std::uint64_t(get(std::uint8_t{})); break;
        case GgufType::Int8: v.value = std::int64_t(get(std::int8_t{})); break;
        case GgufType::UInt16: v.value = std::uint64_t(get(std::uint16_t{})); break;
        case GgufType::Int16: v.value = std::int64_t(get(std::int16_t{})); break;
        case GgufType::UInt32: v.value = std::uint64_t(get(std::uint32_t{})); break;
        case GgufType::Int32: v.value = std::int64_t(get(std::int32_t{})); break;
        case GgufType::UInt64: v.value = get(std::uint64_t{}); break;
        case GgufType::Int64: v.value = get(std::int64_t{}); break;
        case GgufType::Float32: v.value = double(get(float{})); break;
        case GgufType::Float64: v.value = get(double{}); break;
        case GgufType::Bool: v.value = get(std::uint8_t{}) != 0; break;
        case GgufType::String: case GgufType::Array: break;  // not scalars
    }
    return v;
}

bool isScalar(GgufType t) { return t != GgufType::String && t != GgufType::Array; }

class ValueReader {
public:
    explicit ValueReader(Cursor& in) : m_in(in) {}

    GgufValue read(GgufType type, int depth, const std::string& key) {
        if (isScalar(type)) {
            const std::uint64_t n = minimumBytes(type);
            m_in.need(n, "a value");
            const std::uint8_t* p = m_in.here();
            if (type == GgufType::Bool && *p > 1) m_in.fail("metadata '" + key + "': a bool of value " + std::to_string(*p));
            m_in.skip(n);
            return decodeScalar(p, type);
        }
        GgufValue v;
        v.type = type;
        if (type == GgufType::String) {
            v.value = m_in.string(m_in.remaining(), "a string");
            return v;
        }
        if (depth >= kMaxArrayDepth)
            m_in.fail("metadata '" + key + "': arrays nested more than " + std::to_string(kMaxArrayDepth) + " deep");
        GgufArray a;
        const auto raw = m_in.read<std::uint32_t>("an array's element type");
        if (raw > std::uint32_t(GgufType::Float64))
            m_in.fail("metadata '" + key + "': unknown array element type " + std::to_string(raw));
        a.elementType = GgufType(raw);
        a.size = m_in.count(minimumBytes(a.elementType), "an array's length");
        if (isScalar(a.elementType)) {
            a.raw = m_in.here();
            const std::uint64_t bytes = a.size * minimumBytes(a.elementType);  // fits: count() checked it
            if (a.elementType == GgufType::Bool)
                for (std::uint64_t i = 0; i < a.size; ++i)
                    if (a.raw[i] > 1) m_in.fail("metadata '" + key + "': a bool of value " + std::to_string(a.raw[i]));
            m_in.skip(bytes);
        } else {
            m_decoded += a.size;
            if (m_decoded > kMaxDecodedElements)
                m_in.fail("metadata '" + key + "': more than " + std::to_string(kMaxDecodedElements) +
                          " strings and arrays in all");
            a.items.reserve(std::size_t(a.size));
            for (std::uint64_t i = 0; i < a.size; ++i) a.items.push_back(read(a.elementType, depth + 1, key));
        }
        v.value = std::move(a);
        return v;
    }

private:
    Cursor& m_in;
    std::uint64_t m_decoded = 0;
};

}  // namespace

const char* ggufTypeName(GgufType type) {
    switch (type) {
        case GgufType::UInt8: return "uint8";
        case GgufType::Int8: return "int8";
        case GgufType::UInt16: return "uint16";
        case GgufType::Int16: return "int16";
        case GgufType::UInt32: return "uint32";
        case GgufType::Int32: return "int32";
        case GgufType::Float32: return "float32";
        case GgufType::Bool: return "bool";
        case GgufType::String: return "string";
        case GgufType::Array: return "array";
        case GgufType::UInt64: return "uint64";
        case GgufType::Int64: return "int64";
        case GgufType::Float64: return "float64";
    }
    return "unknown";
}

bool GgufValue::isInteger() const {
    return std::holds_alternative<std::uint64_t>(value) || std::holds_alternative<std::int64_t>(value);
}
bool GgufValue::isNumber() const { return isInteger() || std::holds_alternative<double>(value); }

std::optional<std::uint64_t> GgufValue::asUnsigned() const {
    if (const auto* u = std::get_if<std::uint64_t>(&value)) return *u;
    if (const auto* s = std::get_if<std::int64_t>(&value); s && *s >= 0) return std::uint64_t(*s);
    return std::nullopt;
}

std::optional<std::int64_t> GgufValue::asSigned() const {
    if (const auto* s = std::get_if<std::int64_t>(&value)) return *s;
    if (const auto* u = std::get_if<std::uint64_t>(&value);
        u && *u <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        return std::int64_t(*u);
    return std::nullopt;
}

std::optional<double> GgufValue::asNumber() const {
    if (const auto* d = std::get_if<double>(&value)) return *d;
    if (const auto* u = std::get_if<std::uint64_t>(&value)) return double(*u);
    if (const auto* s = std::get_if<std::int64_t>(&value)) return double(*s);
    return std::nullopt;
}

const std::string* GgufValue::asString() const { return std::get_if<std::string>(&value); }
const GgufArray* GgufValue::asArray() const { return std::get_if<GgufArray>(&value); }

GgufValue GgufArray::at(std::uint64_t index) const {
    if (index >= size) throw Error(ErrorKind::BadArgument, "GGUF array index " + std::to_string(index) + " out of range");
    if (raw) return decodeScalar(raw + index * minimumBytes(elementType), elementType);
    return items[std::size_t(index)];
}

std::optional<GgmlTypeInfo> ggmlTypeInfo(std::uint32_t type) {
    switch (type) {
        case 0: return GgmlTypeInfo{"F32", 1, 4};
        case 1: return GgmlTypeInfo{"F16", 1, 2};
        case 2: return GgmlTypeInfo{"Q4_0", 32, 18};
        case 3: return GgmlTypeInfo{"Q4_1", 32, 20};
        case 6: return GgmlTypeInfo{"Q5_0", 32, 22};
        case 7: return GgmlTypeInfo{"Q5_1", 32, 24};
        case 8: return GgmlTypeInfo{"Q8_0", 32, 34};
        case 9: return GgmlTypeInfo{"Q8_1", 32, 36};
        case 10: return GgmlTypeInfo{"Q2_K", 256, 84};
        case 11: return GgmlTypeInfo{"Q3_K", 256, 110};
        case 12: return GgmlTypeInfo{"Q4_K", 256, 144};
        case 13: return GgmlTypeInfo{"Q5_K", 256, 176};
        case 14: return GgmlTypeInfo{"Q6_K", 256, 210};
        case 15: return GgmlTypeInfo{"Q8_K", 256, 292};
        case 24: return GgmlTypeInfo{"I8", 1, 1};
        case 25: return GgmlTypeInfo{"I16", 1, 2};
        case 26: return GgmlTypeInfo{"I32", 1, 4};
        case 27: return GgmlTypeInfo{"I64", 1, 8};
        case 28: return GgmlTypeInfo{"F64", 1, 8};
        case 30: return GgmlTypeInfo{"BF16", 1, 2};
        default: return std::nullopt;
    }
}

std::uint64_t GgufTensor::elements() const {
    std::uint64_t n = 1;
    for (auto d : shape) n *= d;  // checked against overflow when the file was read
    return n;
}

GgufFile::GgufFile(const std::filesystem::path& path) : m_path(path), m_file(std::make_unique<MappedFile>(path)) {
    const std::string name = path.string();
    Cursor in(m_file->data(), m_file->size(), name);
    if (m_file->size() < 4 || in.read<std::uint32_t>("the magic number") != kMagic)
        throw Error(ErrorKind::Format, name + ": not a GGUF file (it does not start with \"GGUF\")");
    m_version = in.read<std::uint32_t>("the version");
    if (m_version == 1) in.fail("GGUF version 1 (from 2023, before llama.cpp's v2) is not supported: convert it again");
    if (m_version > 0xffff && (m_version & 0xffff) == 0) in.fail("a big-endian GGUF file: only little-endian ones are supported");
    if (m_version != 2 && m_version != 3)
        in.fail("GGUF version " + std::to_string(m_version) + " is not supported (versions 2 and 3 are)");
    // Each tensor description takes at least 4 + 8 + 4 + 8 + 8 bytes, each key-value pair 8 + 4 + 1.
    const auto tensorCount = in.read<std::uint64_t>("the tensor count");
    const auto kvCount = in.count(13, "the metadata count");
    if (tensorCount > in.remaining() / 32)
        in.fail("the tensor count is " + std::to_string(tensorCount) + ", more than the file can describe");

    ValueReader values(in);
    for (std::uint64_t i = 0; i < kvCount; ++i) {
        std::string key = in.string(kMaxKeyBytes, "a metadata key");
        if (key.empty()) in.fail("an empty metadata key");
        if (m_metadataIndex.count(key)) in.fail("metadata key '" + key + "' appears twice");
        const auto raw = in.read<std::uint32_t>("a metadata type");
        if (raw > std::uint32_t(GgufType::Float64))
            in.fail("metadata '" + key + "' has unknown type " + std::to_string(raw));
        GgufValue value = values.read(GgufType(raw), 0, key);
        m_metadataIndex[key] = m_metadata.size();
        m_metadata.emplace_back(std::move(key), std::move(value));
    }
    if (const GgufValue* a = find("general.alignment")) {
        const auto v = a->asUnsigned();
        if (a->type != GgufType::UInt32 || !v || *v == 0 || (*v & (*v - 1)) != 0)
            in.fail("general.alignment must be a power of two (uint32)");
        m_alignment = std::uint32_t(*v);
    }

    for (std::uint64_t i = 0; i < tensorCount; ++i) {
        GgufTensor t;
        t.name = in.string(kMaxNameBytes, "a tensor name");
        if (m_tensorIndex.count(t.name)) in.fail("tensor '" + t.name + "' appears twice");
        const auto dims = in.read<std::uint32_t>("a tensor's dimension count");
        if (dims == 0 || dims > kMaxDims)
            in.fail("tensor '" + t.name + "' has " + std::to_string(dims) + " dimensions (1 to 4 are possible)");
        std::uint64_t elements = 1;
        for (std::uint32_t d = 0; d < dims; ++d) {
            const auto n = in.read<std::uint64_t>("a tensor's shape");
            if (n == 0 || elements > std::numeric_limits<std::uint64_t>::max() / n || elements * n > (std::uint64_t(1) << 50))
                in.fail("tensor '" + t.name + "' has an impossible shape");
            elements *= n;
            t.shape.push_back(n);
        }
        t.type = in.read<std::uint32_t>("a tensor's type");
        const auto info = ggmlTypeInfo(t.type);
        if (!info) in.fail("tensor '" + t.name + "' has ggml type " + std::to_string(t.type) + ", which this version cannot read");
        if (t.shape[0] % std::uint64_t(info->blockElements) != 0)
            in.fail("tensor '" + t.name + "': its rows of " + std::to_string(t.shape[0]) + " are not whole " + info->name +
                    " blocks of " + std::to_string(info->blockElements));
        t.bytes = elements / std::uint64_t(info->blockElements) * std::uint64_t(info->blockBytes);
        t.offset = in.read<std::uint64_t>("a tensor's offset");
        if (t.offset % m_alignment != 0)
            in.fail("tensor '" + t.name + "' starts at offset " + std::to_string(t.offset) + ", not a multiple of the " +
                    std::to_string(m_alignment) + "-byte alignment");
        m_tensorIndex[t.name] = m_tensors.size();
        m_tensors.push_back(std::move(t));
    }

    // The data section starts at the next multiple of the alignment.
    const std::uint64_t end = in.position();
    m_dataOffset = (end + m_alignment - 1) / m_alignment * m_alignment;
    const std::uint64_t size = m_file->size();
    if (!m_tensors.empty() && m_dataOffset > size) in.fail("the file ends before its tensor data");
    const std::uint64_t dataBytes = m_tensors.empty() ? 0 : size - m_dataOffset;
    std::vector<const GgufTensor*> byOffset;
    for (auto& t : m_tensors) {
        if (t.offset > dataBytes || t.bytes > dataBytes - t.offset)
            throw Error(ErrorKind::Format, name + ": tensor '" + t.name + "' (" + std::to_string(t.bytes) +
                                               " bytes at offset " + std::to_string(t.offset) +
                                               ") reaches past the end of the file (truncated?)");
        t.data = m_file->data() + m_dataOffset + t.offset;
        byOffset.push_back(&t);
    }
    std::sort(byOffset.begin(), byOffset.end(), [](const auto* a, const auto* b) { return a->offset < b->offset; });
    for (std::size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i - 1]->offset + byOffset[i - 1]->bytes > byOffset[i]->offset)
            throw Error(ErrorKind::Format, name + ": tensors '" + byOffset[i - 1]->name + "' and '" + byOffset[i]->name +
                                               "' overlap");
}

GgufFile::~GgufFile() = default;

std::uint64_t GgufFile::fileBytes() const { return m_file->size(); }

const GgufValue* GgufFile::find(const std::string& key) const {
    const auto it = m_metadataIndex.find(key);
    return it == m_metadataIndex.end() ? nullptr : &m_metadata[it->second].second;
}

namespace {
[[noreturn]] void wrongType(const std::filesystem::path& path, const std::string& key, const GgufValue& v,
                            const char* wanted) {
    throw Error(ErrorKind::Format, path.string() + ": metadata '" + key + "' must be " + wanted + " (it is " +
                                       ggufTypeName(v.type) + ")");
}
}  // namespace

std::optional<std::string> GgufFile::string(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (const auto* s = v->asString()) return *s;
    wrongType(m_path, key, *v, "a string");
}

std::optional<std::uint64_t> GgufFile::unsignedInteger(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (const auto u = v->isInteger() ? v->asUnsigned() : std::nullopt) return u;
    wrongType(m_path, key, *v, "a whole number >= 0");
}

std::optional<double> GgufFile::number(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (const auto d = v->asNumber()) return d;
    wrongType(m_path, key, *v, "a number");
}

std::string GgufFile::architecture() const {
    auto a = string("general.architecture");
    if (!a || a->empty())
        throw Error(ErrorKind::Format, m_path.string() + ": no general.architecture in its metadata");
    return *a;
}

const GgufTensor* GgufFile::tensor(const std::string& name) const {
    const auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

}  // namespace latent
