#pragma once
// safetensors reader (memory-mapped, zero-copy views) and writer.
// Format: u64 little-endian header length N, N bytes of JSON header
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data buffer. Offsets are relative to the buffer start.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace latent {

// Persisted (in our own files' metadata): start at 1, never renumber.
enum class TensorDType { Invalid = 0, F32 = 1, F16 = 2, BF16 = 3, I32 = 4, I64 = 5, U8 = 6 };

const char* dtypeName(TensorDType dtype);        // "F32"
std::size_t dtypeSize(TensorDType dtype);        // bytes per element
TensorDType dtypeFromName(const std::string& name);  // Invalid when unknown

struct TensorView {
    std::string name;
    TensorDType dtype = TensorDType::Invalid;
    std::vector<std::int64_t> shape;
    const std::uint8_t* data = nullptr;  // valid while the SafetensorsFile lives
    std::size_t bytes = 0;
    std::int64_t numel() const;
};

class SafetensorsFile {
public:
    // Maps and validates the whole file; throws Error(Format) naming the file
    // and the problem (truncated, header too large, bad JSON, unknown dtype,
    // offsets out of range, overlapping or with gaps, size != shape).
    explicit SafetensorsFile(const std::filesystem::path& path);
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    const std::vector<TensorView>& tensors() const { return m_tensors; }  // in file order
    bool contains(const std::string& name) const;
    const TensorView& tensor(const std::string& name) const;  // throws Error(Format) if absent
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

private:
    std::filesystem::path m_path;
    void* m_map = nullptr;
    std::size_t m_mapSize = 0;
    std::vector<TensorView> m_tensors;
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

struct TensorToWrite {
    std::string name;
    TensorDType dtype = TensorDType::F32;
    std::vector<std::int64_t> shape;
    const void* data = nullptr;  // numel * dtypeSize bytes
};

// Writes a safetensors file atomically (tensors laid out in the given order,
// 8-byte aligned header as the reference implementation does).
void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace latent
