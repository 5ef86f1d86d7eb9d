#include "latent/CheckpointFolder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <string>
#include <vector>

#include "latent/Error.h"

namespace fs = std::filesystem;

namespace latent {
namespace {

constexpr const char* kCurrent = "checkpoint";
constexpr const char* kSavingPrefix = ".saving-";
constexpr const char* kPreviousPrefix = ".previous-";

std::string randomSuffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::to_string(rng() % 1'000'000'000'000ull);
}

void syncPath(const fs::path& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) throw Error(ErrorKind::Io, "cannot open " + path.string() + " to sync it");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0 && errno != EINVAL) throw Error(ErrorKind::Io, "cannot sync " + path.string() + " to disk");
}

std::vector<fs::path> withPrefix(const fs::path& dir, const std::string& prefix) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().rfind(prefix, 0) == 0 && e.is_directory(ec)) out.push_back(e.path());
    return out;
}

}  // namespace

CheckpointFolder::CheckpointFolder(fs::path runFolder) : m_run(std::move(runFolder)) {}

std::optional<fs::path> CheckpointFolder::latest() const {
    std::error_code ec;
    if (fs::is_directory(m_run / kCurrent, ec)) return m_run / kCurrent;
    // Interrupted between the two renames of a save: the set moved aside is
    // the last complete one.
    const auto previous = withPrefix(m_run, kPreviousPrefix);
    if (!previous.empty()) return previous.front();
    return std::nullopt;
}

void CheckpointFolder::save(const std::function<void(const fs::path&)>& fill) {
    std::error_code ec;
    // Half-written sets from an earlier crash: ours, by their names.
    for (const auto& stale : withPrefix(m_run, kSavingPrefix)) fs::remove_all(stale, ec);
    const fs::path next = m_run / (kSavingPrefix + randomSuffix());
    if (!fs::create_directory(next, ec))
        throw Error(ErrorKind::Io, "cannot create " + next.string() + (ec ? ": " + ec.message() : ""));
    try {
        fill(next);
        for (const auto& e : fs::directory_iterator(next))
            if (e.is_regular_file()) syncPath(e.path(), false);
        syncPath(next, true);
        const fs::path current = m_run / kCurrent;
        if (fs::exists(current)) {
            const fs::path previous = m_run / (kPreviousPrefix + randomSuffix());
            fs::rename(current, previous);
            try {
                fs::rename(next, current);
            } catch (...) {
                fs::rename(previous, current, ec);  // the old set back in place
                throw;
            }
        } else {
            fs::rename(next, current);
        }
        syncPath(m_run, true);
        // The set just replaced, and one a crash left aside.
        for (const auto& old : withPrefix(m_run, kPreviousPrefix)) fs::remove_all(old, ec);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(next, ec);
        throw Error(ErrorKind::Io, std::string("the checkpoint was not saved (the previous one is intact): ") + e.what());
    } catch (...) {
        fs::remove_all(next, ec);
        throw;
    }
}

}  // namespace latent
