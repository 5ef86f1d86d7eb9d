#pragma once
// SHA-256 (FIPS 180-4), streaming; used to verify model weight files.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace latent {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    std::array<std::uint8_t, 32> finish();  // the object is spent afterwards
    std::string finishHex();                // lower-case hex

    static std::string hex(const void* data, std::size_t size);
    // Hashes a file in blocks; throws Error(Io) when it cannot be read.
    static std::string fileHex(const std::filesystem::path& path);

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> m_h;
    std::array<std::uint8_t, 64> m_buf;
    std::size_t m_bufLen = 0;
    std::uint64_t m_totalBytes = 0;
};

}  // namespace latent
