#include "media/SndfileVirtualIo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "latent/Error.h"

namespace latent {

namespace {

// A written file larger than this is refused (a write past it fails, and
// libsndfile reports the error): encodeAudio's clips are far smaller, and a
// bogus seek must not make the buffer grow without bound.
constexpr std::int64_t kMaxBufferBytes = std::int64_t(1) << 33;  // 8 GiB

}  // namespace

SndfileVirtualIo::SndfileVirtualIo(std::string_view bytes) : m_kind(Kind::Memory), m_view(bytes) {}

SndfileVirtualIo::SndfileVirtualIo(const std::filesystem::path& path) : m_kind(Kind::File) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (m_fd < 0) {
        const int err = errno;
        throw Error(ErrorKind::Io, "Cannot open " + path.string() + ": " + std::strerror(err));
    }
    struct stat st {};
    if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const bool folder = S_ISDIR(st.st_mode);
        ::close(m_fd);
        m_fd = -1;
        throw Error(ErrorKind::Io, path.string() + (folder ? " is a folder, not a sound file"
                                                           : " is not a regular file (a pipe or device cannot be read as sound)"));
    }
    m_fileSize = std::int64_t(st.st_size);
}

SndfileVirtualIo::SndfileVirtualIo() : m_kind(Kind::Buffer) {}

SndfileVirtualIo::~SndfileVirtualIo() {
    if (m_fd >= 0) ::close(m_fd);
}

SF_VIRTUAL_IO* SndfileVirtualIo::callbacks() {
    m_callbacks.get_filelen = &SndfileVirtualIo::getFileLength;
    m_callbacks.seek = &SndfileVirtualIo::seek;
    m_callbacks.read = &SndfileVirtualIo::read;
    m_callbacks.write = &SndfileVirtualIo::write;
    m_callbacks.tell = &SndfileVirtualIo::tell;
    return &m_callbacks;
}

std::int64_t SndfileVirtualIo::size() const {
    switch (m_kind) {
    case Kind::Memory: return std::int64_t(m_view.size());
    case Kind::File: return m_fileSize;
    case Kind::Buffer: return std::int64_t(m_buffer.size());
    }
    return 0;
}

std::size_t SndfileVirtualIo::readAt(std::int64_t offset, void* out, std::size_t count) const {
    const std::int64_t total = size();
    if (offset < 0 || offset >= total || count == 0) return 0;
    const std::size_t n = std::size_t(std::min<std::int64_t>(std::int64_t(count), total - offset));
    switch (m_kind) {
    case Kind::Memory: std::memcpy(out, m_view.data() + offset, n); return n;
    case Kind::Buffer: std::memcpy(out, m_buffer.data() + offset, n); return n;
    case Kind::File: {
        std::size_t done = 0;
        while (done < n) {
            const ssize_t got = ::pread(m_fd, static_cast<char*>(out) + done, n - done, off_t(offset + std::int64_t(done)));
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) break;  // an error or a file that shrank: a short read, which libsndfile reports
            done += std::size_t(got);
        }
        return done;
    }
    }
    return 0;
}

std::string SndfileVirtualIo::takeBytes() {
    std::string out;
    out.swap(m_buffer);
    m_position = 0;
    return out;
}

sf_count_t SndfileVirtualIo::getFileLength(void* self) { return static_cast<SndfileVirtualIo*>(self)->size(); }

sf_count_t SndfileVirtualIo::seek(sf_count_t offset, int whence, void* self) {
    auto* io = static_cast<SndfileVirtualIo*>(self);
    std::int64_t base = 0;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = io->m_position; break;
    case SEEK_END: base = io->size(); break;
    default: return -1;
    }
    // Overflow-safe base + offset; positions before the start are refused, past
    // the end allowed (a read there returns nothing, a write pads with zeros).
    if ((offset > 0 && base > std::numeric_limits<std::int64_t>::max() - offset) || base + offset < 0) return -1;
    io->m_position = base + offset;
    return io->m_position;
}

sf_count_t SndfileVirtualIo::read(void* out, sf_count_t count, void* self) {
    auto* io = static_cast<SndfileVirtualIo*>(self);
    if (count <= 0) return 0;
    const std::size_t got = io->readAt(io->m_position, out, std::size_t(count));
    io->m_position += std::int64_t(got);
    return sf_count_t(got);
}

sf_count_t SndfileVirtualIo::write(const void* in, sf_count_t count, void* self) {
    auto* io = static_cast<SndfileVirtualIo*>(self);
    if (io->m_kind != Kind::Buffer || count <= 0) return 0;
    if (io->m_position > kMaxBufferBytes || count > kMaxBufferBytes - io->m_position) return 0;
    const std::size_t end = std::size_t(io->m_position + count);
    if (end > io->m_buffer.size()) io->m_buffer.resize(end, '\0');
    std::memcpy(io->m_buffer.data() + io->m_position, in, std::size_t(count));
    io->m_position += count;
    return count;
}

sf_count_t SndfileVirtualIo::tell(void* self) { return static_cast<SndfileVirtualIo*>(self)->m_position; }

}  // namespace latent
