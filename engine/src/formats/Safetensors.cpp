#include "latent/formats/Safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"

namespace latent {
namespace {

using Json = nlohmann::ordered_json;  // keeps header order (it breaks ties between empty tensors)

// The reference implementation refuses headers above 100 MB; a larger length
// is corruption or an attack, never a real model.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
// A valid header nests three levels (header, tensor entry, shape).
constexpr int kMaxHeaderDepth = 8;
constexpr const char* kSupportedDTypes = "F32 F16 BF16 I32 I64 U8";
constexpr const char* kMetadataKey = "__metadata__";

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) out += ", ";
        out += std::to_string(shape[i]);
    }
    return out + "]";
}

// numel * element size, or false when it does not fit in 64 bits.
bool byteSize(const std::vector<std::int64_t>& shape, std::size_t elementSize, std::uint64_t& out) {
    std::uint64_t total = elementSize;
    for (const std::int64_t dim : shape) {
        if (dim < 0 || __builtin_mul_overflow(total, static_cast<std::uint64_t>(dim), &total)) return false;
    }
    out = total;
    return true;
}

std::string jsonTypeName(const Json& value) { return value.type_name(); }

}  // namespace

const char* dtypeName(TensorDType dtype) {
    switch (dtype) {
        case TensorDType::F32: return "F32";
        case TensorDType::F16: return "F16";
        case TensorDType::BF16: return "BF16";
        case TensorDType::I32: return "I32";
        case TensorDType::I64: return "I64";
        case TensorDType::U8: return "U8";
        case TensorDType::Invalid: break;
    }
    return "Invalid";
}

std::size_t dtypeSize(TensorDType dtype) {
    switch (dtype) {
        case TensorDType::F32: return 4;
        case TensorDType::F16: return 2;
        case TensorDType::BF16: return 2;
        case TensorDType::I32: return 4;
        case TensorDType::I64: return 8;
        case TensorDType::U8: return 1;
        case TensorDType::Invalid: break;
    }
    return 0;
}

TensorDType dtypeFromName(const std::string& name) {
    for (const TensorDType dtype : {TensorDType::F32, TensorDType::F16, TensorDType::BF16, TensorDType::I32,
                                    TensorDType::I64, TensorDType::U8}) {
        if (name == dtypeName(dtype)) return dtype;
    }
    return TensorDType::Invalid;
}

std::int64_t TensorView::numel() const {
    return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : m_path(path) {
    const std::string file = path.string();
    const auto formatError = [&](const std::string& problem) {
        return Error(ErrorKind::Format, file + ": " + problem);
    };
    const auto ioError = [&](const std::string& reason) {
        return Error(ErrorKind::Io, "cannot read " + file + ": " + reason);
    };

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw ioError(std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw ioError(std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw ioError(std::strerror(EISDIR));
    }
    const auto fileSize = static_cast<std::uint64_t>(st.st_size);
    if (fileSize < 8) {
        ::close(fd);
        throw formatError("file is " + std::to_string(fileSize) +
                          " bytes, shorter than the 8-byte header length (truncated file)");
    }
    // MAP_PRIVATE + PROT_READ: views never write back, and tensors stay zero-copy.
    void* map = ::mmap(nullptr, fileSize, PROT_READ, MAP_PRIVATE, fd, 0);
    const int mapErr = errno;
    ::close(fd);  // the mapping keeps the file alive
    if (map == MAP_FAILED) throw ioError(std::string("mmap failed: ") + std::strerror(mapErr));
    m_map = map;
    m_mapSize = fileSize;

    // From here a throw must unmap: the destructor does not run for a
    // constructor that fails.
    try {
        const auto* bytes = static_cast<const std::uint8_t*>(m_map);
        std::uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | bytes[i];  // little-endian
        if (headerLen > kMaxHeaderBytes)
            throw formatError("header length " + std::to_string(headerLen) + " exceeds the 100 MB limit");
        if (headerLen > fileSize - 8)
            throw formatError("header length " + std::to_string(headerLen) + " exceeds file size " +
                              std::to_string(fileSize));

        const std::string_view headerText(reinterpret_cast<const char*>(bytes + 8), headerLen);
        // nlohmann keeps the last of duplicate keys silently; a duplicate tensor
        // name makes the file ambiguous, so spot it while parsing.
        std::set<std::string> seenKeys;
        std::string duplicate;
        const Json::parser_callback_t onEvent = [&](int depth, Json::parse_event_t event, Json& parsed) {
            if (depth == 1 && event == Json::parse_event_t::key && parsed.is_string()) {
                const auto& key = parsed.get_ref<const std::string&>();
                if (!seenKeys.insert(key).second && duplicate.empty()) duplicate = key;
            }
            return true;
        };
        // Depth first: a shape nested a million levels deep parses, but
        // printing it in a message would recurse once per level.
        checkJsonLimits(headerText, file + ": header", ErrorKind::Format, {kMaxHeaderBytes, kMaxHeaderDepth});
        Json header;
        try {
            header = Json::parse(headerText.begin(), headerText.end(), onEvent);
        } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number too large
            throw formatError(std::string("invalid JSON header: ") + e.what());
        }
        if (!header.is_object())
            throw formatError("header is not a JSON object (it is " + jsonTypeName(header) + ")");
        if (!duplicate.empty()) throw formatError("duplicate key \"" + duplicate + "\" in header");

        const std::uint64_t bufferSize = fileSize - 8 - headerLen;
        const std::uint8_t* buffer = bytes + 8 + headerLen;

        struct Span {
            std::uint64_t begin;
            std::uint64_t end;
        };
        std::vector<Span> spans;

        for (const auto& [name, entry] : header.items()) {
            if (name == kMetadataKey) {
                // The reference reads an optional map; null is an absent one.
                if (entry.is_null()) continue;
                if (!entry.is_object())
                    throw formatError("__metadata__ is not an object (it is " + jsonTypeName(entry) + ")");
                for (const auto& [key, value] : entry.items()) {
                    if (!value.is_string())
                        throw formatError("__metadata__ value for \"" + key + "\" is not a string (it is " +
                                          jsonTypeName(value) + ")");
                    m_metadata[key] = value.get<std::string>();
                }
                continue;
            }

            const std::string where = "tensor \"" + name + "\": ";
            if (!entry.is_object())
                throw formatError(where + "entry is not an object (it is " + jsonTypeName(entry) + ")");
            for (const char* key : {"dtype", "shape", "data_offsets"}) {
                if (!entry.contains(key)) throw formatError(where + "missing \"" + key + "\"");
            }

            const Json& dtypeJson = entry["dtype"];
            if (!dtypeJson.is_string()) throw formatError(where + "dtype is not a string");
            const std::string dtypeText = dtypeJson.get<std::string>();
            const TensorDType dtype = dtypeFromName(dtypeText);
            if (dtype == TensorDType::Invalid)
                throw formatError(where + "unknown dtype \"" + dtypeText +
                                  "\" (supported: " + kSupportedDTypes + ")");

            const Json& shapeJson = entry["shape"];
            if (!shapeJson.is_array()) throw formatError(where + "shape is not an array");
            std::vector<std::int64_t> shape;
            shape.reserve(shapeJson.size());
            for (const Json& dim : shapeJson) {
                if (!dim.is_number_integer())
                    throw formatError(where + "shape holds a non-integer " + latent::dumpJson(dim));
                if (dim.is_number_unsigned()) {
                    const auto value = dim.get<std::uint64_t>();
                    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                        throw formatError(where + "dimension " + std::to_string(value) + " is too large");
                    shape.push_back(static_cast<std::int64_t>(value));
                } else {
                    const auto value = dim.get<std::int64_t>();
                    if (value < 0)
                        throw formatError(where + "negative dimension " + std::to_string(value) +
                                          " in shape");
                    shape.push_back(value);
                }
            }

            const Json& offsetsJson = entry["data_offsets"];
            if (!offsetsJson.is_array() || offsetsJson.size() != 2 || !offsetsJson[0].is_number_unsigned() ||
                !offsetsJson[1].is_number_unsigned())
                throw formatError(where + "data_offsets must be two non-negative integers, got " +
                                  latent::dumpJson(offsetsJson));
            const auto begin = offsetsJson[0].get<std::uint64_t>();
            const auto end = offsetsJson[1].get<std::uint64_t>();
            const std::string offsetsText =
                "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "]";
            if (begin > end) throw formatError(where + offsetsText + " end before begin");
            if (end > bufferSize)
                throw formatError(where + offsetsText + " lie outside the data buffer of " +
                                  std::to_string(bufferSize) + " bytes");

            std::uint64_t expected = 0;
            if (!byteSize(shape, dtypeSize(dtype), expected))
                throw formatError(where + "shape " + shapeText(shape) + " is too large");
            if (end - begin != expected)
                throw formatError(where + "size mismatch: " + offsetsText + " span " +
                                  std::to_string(end - begin) + " bytes but shape " + shapeText(shape) +
                                  " of " + dtypeText + " needs " + std::to_string(expected) + " bytes");

            TensorView view;
            view.name = name;
            view.dtype = dtype;
            view.shape = std::move(shape);
            view.data = buffer + begin;
            view.bytes = static_cast<std::size_t>(expected);
            m_tensors.push_back(std::move(view));
            spans.push_back({begin, end});
        }

        // File order is data order; empty tensors sharing an offset keep header order.
        std::vector<std::size_t> order(m_tensors.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return spans[a].begin != spans[b].begin ? spans[a].begin < spans[b].begin
                                                    : spans[a].end < spans[b].end;
        });

        // Like the reference, the tensors must tile the buffer exactly: no
        // overlap (aliasing), no holes, no trailing bytes (hidden payload).
        std::uint64_t covered = 0;
        const std::string* coveredBy = nullptr;
        for (const std::size_t i : order) {
            const Span& span = spans[i];
            const std::string& name = m_tensors[i].name;
            if (span.begin < covered)
                throw formatError("overlapping tensors: \"" + name + "\" at data_offsets [" +
                                  std::to_string(span.begin) + ", " + std::to_string(span.end) +
                                  "] overlaps \"" + (coveredBy ? *coveredBy : std::string()) +
                                  "\" which ends at " + std::to_string(covered));
            if (span.begin > covered)
                throw formatError("gap in the data buffer: bytes " + std::to_string(covered) + ".." +
                                  std::to_string(span.begin) + " before tensor \"" + name +
                                  "\" belong to no tensor");
            if (span.end > covered) {
                covered = span.end;
                coveredBy = &name;
            }
        }
        if (covered != bufferSize)
            throw formatError("trailing data: bytes " + std::to_string(covered) + ".." +
                              std::to_string(bufferSize) + " of the data buffer belong to no tensor");

        std::vector<TensorView> sorted;
        sorted.reserve(m_tensors.size());
        for (const std::size_t i : order) sorted.push_back(std::move(m_tensors[i]));
        m_tensors = std::move(sorted);
        for (std::size_t i = 0; i < m_tensors.size(); ++i) m_index[m_tensors[i].name] = i;
    } catch (...) {
        ::munmap(m_map, m_mapSize);
        m_map = nullptr;
        throw;
    }
}

SafetensorsFile::~SafetensorsFile() {
    if (m_map) ::munmap(m_map, m_mapSize);
}

bool SafetensorsFile::contains(const std::string& name) const { return m_index.count(name) > 0; }

const TensorView& SafetensorsFile::tensor(const std::string& name) const {
    const auto it = m_index.find(name);
    if (it == m_index.end())
        throw Error(ErrorKind::Format, m_path.string() + ": no tensor named \"" + name + "\"");
    return m_tensors[it->second];
}

void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    const auto badArgument = [&](const std::string& problem) {
        return Error(ErrorKind::BadArgument, "cannot write " + path.string() + ": " + problem);
    };

    // The reference writer puts __metadata__ first, then tensors in data order.
    Json header = Json::object();
    if (!metadata.empty()) {
        Json meta = Json::object();
        for (const auto& [key, value] : metadata) meta[key] = value;
        header[kMetadataKey] = std::move(meta);
    }

    std::set<std::string> names;
    std::vector<std::uint64_t> sizes;
    sizes.reserve(tensors.size());
    std::uint64_t offset = 0;
    for (const TensorToWrite& t : tensors) {
        const std::string where = "tensor \"" + t.name + "\": ";
        if (t.name.empty()) throw badArgument("a tensor has an empty name");
        if (t.name == kMetadataKey)
            throw badArgument("\"__metadata__\" is reserved and cannot name a tensor");
        if (!names.insert(t.name).second) throw badArgument("duplicate tensor name \"" + t.name + "\"");
        if (dtypeSize(t.dtype) == 0)
            throw badArgument(where + "unknown dtype " + std::to_string(static_cast<int>(t.dtype)) +
                              " (supported: " + kSupportedDTypes + ")");
        for (const std::int64_t dim : t.shape) {
            if (dim < 0) throw badArgument(where + "negative dimension in shape " + shapeText(t.shape));
        }
        std::uint64_t size = 0;
        if (!byteSize(t.shape, dtypeSize(t.dtype), size) ||
            size > std::numeric_limits<std::size_t>::max() - offset)
            throw badArgument(where + "shape " + shapeText(t.shape) + " is too large");
        if (size > 0 && t.data == nullptr)
            throw badArgument(where + "data is null but shape " + shapeText(t.shape) + " needs " +
                              std::to_string(size) + " bytes");

        header[t.name] = Json{
            {"dtype", dtypeName(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + size}}};
        sizes.push_back(size);
        offset += size;
    }

    std::string headerText;
    try {
        headerText = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    } catch (const Json::type_error& e) {
        throw badArgument(std::string("a tensor name or metadata entry is not valid UTF-8 (") + e.what() +
                          ")");
    }
    // Pad with spaces (valid JSON whitespace) so the data buffer starts 8-byte
    // aligned, as the reference writer does.
    headerText.append((8 - headerText.size() % 8) % 8, ' ');

    std::string out;
    out.reserve(8 + headerText.size() + offset);
    const std::uint64_t headerLen = headerText.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((headerLen >> (8 * i)) & 0xff));
    out += headerText;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (sizes[i] > 0) out.append(static_cast<const char*>(tensors[i].data), sizes[i]);
    }
    writeFileAtomic(path, out);
}

}  // namespace latent
