#pragma once
// A whole file mapped read-only (MAP_PRIVATE): zero-copy views for the
// readers of large model files. Error(Io) naming the file when it cannot be
// opened, is a folder, or cannot be mapped.
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace latent {

class MappedFile {
public:
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return static_cast<const std::uint8_t*>(m_map); }
    std::uint64_t size() const { return m_size; }

private:
    void* m_map = nullptr;
    std::uint64_t m_size = 0;
};

}  // namespace latent
