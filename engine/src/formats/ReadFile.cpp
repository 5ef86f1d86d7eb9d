#include "latent/formats/ReadFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace fs = std::filesystem;

namespace latent {

std::string byteSizeText(std::size_t bytes) {
    // Exact below 1 KiB; above, one decimal, so 2,000,007 bytes is not "1 MiB".
    char buf[32];
    if (bytes >= (std::size_t(1) << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", double(bytes) / double(1u << 30));
    else if (bytes >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / double(1u << 20));
    else if (bytes >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", double(bytes) / 1024.0);
    else std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
    return buf;
}

// Reads a regular file of at most `maxBytes`. FIFOs, devices and folders are
// refused before any read: a FIFO named model.json would block forever.
std::string readFileBounded(const fs::path& file, ErrorKind kind, std::size_t maxBytes) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw Error(kind, file.string() + ": cannot be read (" + std::strerror(errno) + ")");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw Error(kind, file.string() + ": cannot be read (" + std::strerror(errno) + ")");
    if (S_ISDIR(st.st_mode)) throw Error(kind, file.string() + ": is a folder, not a file");
    if (!S_ISREG(st.st_mode)) throw Error(kind, file.string() + ": is not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes)
        throw Error(kind, file.string() + ": is " + byteSizeText(static_cast<std::size_t>(st.st_size)) +
                              ", more than the " + byteSizeText(maxBytes) + " allowed here");
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(kind, file.string() + ": cannot be read (" + std::strerror(errno) + ")");
        if (n == 0) break;  // shrank while reading: parse what is there
        done += static_cast<std::size_t>(n);
    }
    text.resize(done);
    return text;
}

}  // namespace latent
