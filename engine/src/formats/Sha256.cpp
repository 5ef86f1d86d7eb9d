#include "latent/formats/Sha256.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "latent/Error.h"

namespace latent {
namespace {

// FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the
// cube roots of the first 64 primes.
constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Section 5.3.3: initial hash value.
constexpr std::array<std::uint32_t, 8> kInitial = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

constexpr std::uint32_t rotr(std::uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

std::string toHex(const std::array<std::uint8_t, 32>& digest) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(64, '0');
    for (std::size_t i = 0; i < digest.size(); ++i) {
        out[2 * i] = kDigits[digest[i] >> 4];
        out[2 * i + 1] = kDigits[digest[i] & 0x0f];
    }
    return out;
}

}  // namespace

Sha256::Sha256() : m_h(kInitial), m_buf{} {}

void Sha256::block(const std::uint8_t* p) {
    std::array<std::uint32_t, 64> w;
    for (std::size_t t = 0; t < 16; ++t) {
        // Message words are big-endian regardless of the host.
        w[t] = (std::uint32_t(p[4 * t]) << 24) | (std::uint32_t(p[4 * t + 1]) << 16) |
               (std::uint32_t(p[4 * t + 2]) << 8) | std::uint32_t(p[4 * t + 3]);
    }
    for (std::size_t t = 16; t < 64; ++t) {
        const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }

    std::uint32_t a = m_h[0], b = m_h[1], c = m_h[2], d = m_h[3];
    std::uint32_t e = m_h[4], f = m_h[5], g = m_h[6], h = m_h[7];
    for (std::size_t t = 0; t < 64; ++t) {
        const std::uint32_t bigS1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const std::uint32_t ch = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + bigS1 + ch + kRound[t] + w[t];
        const std::uint32_t bigS0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = bigS0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    m_h[0] += a;
    m_h[1] += b;
    m_h[2] += c;
    m_h[3] += d;
    m_h[4] += e;
    m_h[5] += f;
    m_h[6] += g;
    m_h[7] += h;
}

void Sha256::update(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    m_totalBytes += size;

    // Top up a partial block first, then hash whole blocks straight from the
    // input (no copy), and keep the tail for later.
    if (m_bufLen > 0) {
        const std::size_t take = std::min(size, m_buf.size() - m_bufLen);
        std::memcpy(m_buf.data() + m_bufLen, p, take);
        m_bufLen += take;
        p += take;
        size -= take;
        if (m_bufLen < m_buf.size()) return;
        block(m_buf.data());
        m_bufLen = 0;
    }
    while (size >= m_buf.size()) {
        block(p);
        p += m_buf.size();
        size -= m_buf.size();
    }
    if (size > 0) {
        std::memcpy(m_buf.data(), p, size);
        m_bufLen = size;
    }
}

std::array<std::uint8_t, 32> Sha256::finish() {
    // Padding (section 5.1.1): 0x80, zeros up to 56 mod 64, then the message
    // length in bits as a big-endian 64-bit integer.
    const std::uint64_t bitLength = m_totalBytes * 8;
    m_buf[m_bufLen++] = 0x80;
    if (m_bufLen > 56) {
        std::fill(m_buf.begin() + static_cast<std::ptrdiff_t>(m_bufLen), m_buf.end(), 0);
        block(m_buf.data());
        m_bufLen = 0;
    }
    std::fill(m_buf.begin() + static_cast<std::ptrdiff_t>(m_bufLen), m_buf.begin() + 56, 0);
    for (std::size_t i = 0; i < 8; ++i) m_buf[56 + i] = std::uint8_t(bitLength >> (56 - 8 * i));
    block(m_buf.data());
    m_bufLen = 0;

    std::array<std::uint8_t, 32> digest;
    for (std::size_t i = 0; i < 8; ++i) {
        digest[4 * i] = std::uint8_t(m_h[i] >> 24);
        digest[4 * i + 1] = std::uint8_t(m_h[i] >> 16);
        digest[4 * i + 2] = std::uint8_t(m_h[i] >> 8);
        digest[4 * i + 3] = std::uint8_t(m_h[i]);
    }
    return digest;
}

std::string Sha256::finishHex() { return toHex(finish()); }

std::string Sha256::hex(const void* data, std::size_t size) {
    Sha256 sha;
    sha.update(data, size);
    return sha.finishHex();
}

std::string Sha256::fileHex(const std::filesystem::path& path) {
    const auto fail = [&](const std::string& reason) {
        return Error(ErrorKind::Io, "cannot read " + path.string() + ": " + reason);
    };
    // POSIX I/O rather than iostreams: errno is then reliable for the message.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw fail(std::strerror(errno));
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{fd};

    struct stat st {};
    if (::fstat(fd, &st) != 0) throw fail(std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw fail(std::strerror(EISDIR));

    constexpr std::size_t kBlock = std::size_t(1) << 20;  // 1 MiB
    const auto buffer = std::make_unique<std::uint8_t[]>(kBlock);
    Sha256 sha;
    for (;;) {
        const ssize_t got = ::read(fd, buffer.get(), kBlock);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw fail(std::strerror(errno));
        }
        if (got == 0) break;
        sha.update(buffer.get(), static_cast<std::size_t>(got));
    }
    return sha.finishHex();
}

}  // namespace latent
