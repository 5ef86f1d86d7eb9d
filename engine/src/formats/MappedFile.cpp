#include "formats/MappedFile.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "latent/Error.h"

namespace latent {

MappedFile::MappedFile(const std::filesystem::path& path) {
    const auto fail = [&](int err) {
        return Error(ErrorKind::Io, "cannot read " + path.string() + ": " + std::strerror(err));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw fail(errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const int err = S_ISDIR(st.st_mode) ? EISDIR : (errno ? errno : EINVAL);
        ::close(fd);
        throw fail(err);
    }
    m_size = std::uint64_t(st.st_size);
    if (m_size > 0) {
        void* map = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        const int err = errno;
        ::close(fd);  // the mapping keeps the file alive
        if (map == MAP_FAILED) throw fail(err);
        m_map = map;
    } else {
        ::close(fd);
    }
}

MappedFile::~MappedFile() {
    if (m_map) ::munmap(m_map, m_size);
}

}  // namespace latent
