#pragma once
// Shared by the fuzz harnesses (tests/fuzz/fuzz_*.cpp): a scratch folder made
// once per process, file writing, splitting one input into several files, and
// the rule for what counts as a finding.
//
// A parser that rejects its input with latent::Error is doing its job. Anything
// else that leaves the parser is a finding: another exception type (e.g.
// nlohmann::json::type_error), a crash, a sanitizer report, a huge allocation
// (libFuzzer's -malloc_limit_mb), a hang (-timeout), or a broken property
// checked with FUZZ_CHECK.
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <typeinfo>
#include <vector>

#include <spdlog/spdlog.h>

#include "latent/Error.h"

namespace latent::fuzz {

// One folder per process (libFuzzer's -fork/-jobs run several), on tmpfs when
// there is one: the harnesses write their input there because the parsers
// under test take paths. Named latent-fuzz-<pid>-XXXXXX; removed when the
// process exits normally, and by the next harness to start once that process
// is gone (libFuzzer ends most runs with _Exit, which skips destructors).
class ScratchDir {
public:
    ScratchDir() {
        std::string base = "/dev/shm";
        if (::access(base.c_str(), W_OK) != 0) base = std::filesystem::temp_directory_path().string();
        removeStale(base);
        std::string templ = base + "/latent-fuzz-" + std::to_string(::getpid()) + "-XXXXXX";
        if (!::mkdtemp(templ.data())) {
            std::perror("latent fuzz: mkdtemp");
            std::abort();
        }
        m_path = templ;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }

private:
    static void removeStale(const std::string& base) {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(base, ec)) {
            const std::string name = e.path().filename().string();
            constexpr std::string_view prefix = "latent-fuzz-";
            if (name.compare(0, prefix.size(), prefix) != 0) continue;
            const auto dash = name.find('-', prefix.size());
            if (dash == std::string::npos || dash == prefix.size()) continue;
            const std::string pidText = name.substr(prefix.size(), dash - prefix.size());
            if (pidText.find_first_not_of("0123456789") != std::string::npos || pidText.size() > 9) continue;
            const pid_t pid = pid_t(std::stol(pidText));
            if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) std::filesystem::remove_all(e.path(), ec);
        }
    }

    std::filesystem::path m_path;
};

// Also turns the engine's logging off: a parser that skips a broken file logs
// a warning, and a log line per execution would cost more than the parse.
inline const std::filesystem::path& scratchDir() {
    static const bool quiet = [] {
        spdlog::set_level(spdlog::level::off);
        return true;
    }();
    (void)quiet;
    static ScratchDir dir;
    return dir.path();
}

// An empty folder <scratch>/<name>, emptied again on every call.
inline std::filesystem::path freshDir(const std::string& name) {
    const auto dir = scratchDir() / name;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    return dir;
}

inline void writeFile(const std::filesystem::path& file, std::string_view bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) {
        std::fprintf(stderr, "latent fuzz: cannot write %s\n", file.c_str());
        std::abort();
    }
}

inline std::string_view asView(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits an input into at most `parts` pieces at NUL bytes (the last piece
// keeps any further NULs). JSON cannot hold a raw NUL, so "a.json\0b.txt" is
// how a corpus file carries several text files.
inline std::vector<std::string_view> splitAtNul(std::string_view input, std::size_t parts) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < parts) {
        const auto nul = input.find('\0');
        if (nul == std::string_view::npos) break;
        out.push_back(input.substr(0, nul));
        input.remove_prefix(nul + 1);
    }
    out.push_back(input);
    return out;
}

[[noreturn]] inline void finding(const char* what, const char* detail) {
    std::fprintf(stderr, "\n==latent-fuzz== FINDING: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    std::fflush(stderr);
    std::abort();
}

// A property the parser promises; a violation is a finding.
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) ::latent::fuzz::finding("property violated", #cond " (" __FILE__ ")");       \
    } while (0)

inline std::string demangledCurrentException() {
    const std::type_info* type = abi::__cxa_current_exception_type();
    if (!type) return "?";
    int status = 0;
    char* name = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
    std::string out = status == 0 && name ? name : type->name();
    std::free(name);
    return out;
}

// LATENT_FUZZ_VERBOSE=1 prints each rejection (e.g. to see why a seed is refused).
inline bool verbose() {
    static const bool on = [] {
        const char* v = std::getenv("LATENT_FUZZ_VERBOSE");
        return v && *v && std::strcmp(v, "0") != 0;
    }();
    return on;
}

// Runs `parse`; latent::Error is a normal rejection, any other exception is a
// finding (reported with its type and message, then abort()).
template <typename F>
void rejectOnlyWithError(F&& parse) {
    try {
        parse();
    } catch (const latent::Error& e) {
        // The parser said no, with a message a user can read: fine.
        if (verbose()) std::fprintf(stderr, "rejected (%s): %s\n", latent::errorKindName(e.kind()), e.what());
    } catch (const std::exception& e) {
        const std::string type = demangledCurrentException();
        const std::string detail = type + ": " + e.what();
        finding("exception other than latent::Error", detail.c_str());
    } catch (...) {
        const std::string type = demangledCurrentException();
        finding("non-std exception", type.c_str());
    }
}

// Runs `step`, which must not fail at all: e.g. reading back what the code
// under test just wrote from an input it had accepted.
template <typename F>
void mustSucceed(const char* what, F&& step) {
    try {
        step();
    } catch (const std::exception& e) {
        const std::string detail = std::string(what) + ": " + demangledCurrentException() + ": " + e.what();
        finding("a step that must succeed failed", detail.c_str());
    } catch (...) {
        finding("a step that must succeed failed", what);
    }
}

// Keeps results alive so the optimiser cannot drop the reads that check them.
inline void sink(std::uint64_t value) {
    static volatile std::uint64_t s_sink;
    s_sink = s_sink + value;
}

}  // namespace latent::fuzz
