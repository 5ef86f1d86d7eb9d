#include "latent/formats/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <system_error>
#include <utility>

#include "latent/Error.h"

namespace latent {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& reason) {
    throw Error(ErrorKind::Io, "cannot write " + path.string() + ": " + reason);
}

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& reason) {
    throw Error(ErrorKind::BadArgument, "will not write " + path.string() + ": " + reason);
}

std::string errnoText(int err) { return std::strerror(err); }

// "<name>.tmp-<pid>-<random>": unique per process and per call, and beside the
// target so that rename() stays within one filesystem (and so is atomic).
std::filesystem::path tempPathFor(const std::filesystem::path& path) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp-%ld-%016llx", static_cast<long>(::getpid()),
                  static_cast<unsigned long long>(rng()));
    std::filesystem::path temp = path;
    temp += suffix;
    return temp;
}

// Owns the temporary file until it has been renamed: on every early exit the
// descriptor is closed and the file removed.
class TempFile {
public:
    TempFile(std::filesystem::path path, int fd) : m_path(std::move(path)), m_fd(fd) {}
    ~TempFile() {
        if (m_fd >= 0) ::close(m_fd);
        if (!m_committed) ::unlink(m_path.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const { return m_fd; }
    const std::filesystem::path& path() const { return m_path; }
    // close() can report a deferred write error (e.g. NFS), so check it.
    int close() {
        const int rc = ::close(m_fd);
        m_fd = -1;
        return rc;
    }
    void committed() { m_committed = true; }

private:
    std::filesystem::path m_path;
    int m_fd;
    bool m_committed = false;
};

void writeAll(int fd, std::string_view bytes, const std::filesystem::path& target) {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(target, errnoText(errno));
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

void syncDirectory(const std::filesystem::path& dir, const std::filesystem::path& target) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail(target, "cannot open directory " + dir.string() + ": " + errnoText(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    // Some filesystems cannot sync a directory (EINVAL); the rename is done then
    // and nothing better is possible.
    if (rc != 0 && err != EINVAL)
        fail(target, "cannot sync directory " + dir.string() + ": " + errnoText(err));
}

}  // namespace

std::filesystem::path checkWritableTarget(const std::filesystem::path& requested, const AtomicWriteOptions& o) {
    if (requested.empty() || !requested.has_filename()) refuse(requested, "not a file name");
    std::filesystem::path path = requested;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        if (!o.followSymlink) refuse(path, "it is a symbolic link; give the file it points to");
        std::error_code ec;
        path = std::filesystem::canonical(path, ec);
        if (ec) refuse(requested, "it is a symbolic link to nothing (" + ec.message() + ")");
    }
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) refuse(path, "it is a folder");
        if (!S_ISREG(st.st_mode)) refuse(path, "it is not a regular file");
        // Mode bits too, not only access(): root may write anything, but a
        // file its owner made read-only is a file the owner wants kept.
        if (!o.replaceReadOnly && ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(path.c_str(), W_OK) != 0))
            refuse(path, "the file is read-only");
    } else if (errno == ENOTDIR) {
        refuse(path, path.parent_path().string() + " is not a folder");
    } else if (errno != ENOENT) {
        fail(path, errnoText(errno));
    }
    const std::filesystem::path dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        if (std::filesystem::exists(dir, ec)) refuse(path, dir.string() + " is not a folder");
        if (!o.createParents) refuse(path, "the folder " + dir.string() + " does not exist");
    }
    return path;
}

void writeFileAtomic(const std::filesystem::path& requested, std::string_view bytes, const AtomicWriteOptions& o) {
    const std::filesystem::path path = checkWritableTarget(requested, o);
    const std::filesystem::path dir =
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::error_code ec;
    if (o.createParents) {
        std::filesystem::create_directories(dir, ec);
        if (ec) fail(path, "cannot create directory " + dir.string() + ": " + ec.message());
    }
    // Keep the permissions of a file we replace (as QSaveFile does); new files
    // get 0666 less the umask.
    mode_t mode = 0666;
    bool keepMode = false;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        mode = st.st_mode & 07777;
        keepMode = true;
    }

    std::filesystem::path tempPath;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        tempPath = tempPathFor(path);
        fd = ::open(tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            fail(path, "cannot create " + tempPath.string() + ": " + errnoText(errno));
    }
    if (fd < 0) fail(path, "cannot create a unique temporary file in " + dir.string());
    TempFile temp(tempPath, fd);

    if (keepMode && ::fchmod(temp.fd(), mode) != 0) fail(path, errnoText(errno));
    writeAll(temp.fd(), bytes, path);
    // Data must be on disk before the rename makes it visible under the real name.
    if (::fsync(temp.fd()) != 0) fail(path, errnoText(errno));
    if (temp.close() != 0) fail(path, errnoText(errno));
    if (::rename(temp.path().c_str(), path.c_str()) != 0) fail(path, errnoText(errno));
    temp.committed();
    // Make the rename itself durable.
    syncDirectory(dir, path);
}

}  // namespace latent
