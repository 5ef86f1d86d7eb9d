// Time from exec to the first shown main window, for Latent Studio and for a
// bare Qt Widgets window (the floor), each started afresh N times in the same
// run. Both print the monotonic time at which their window was shown.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "BenchStats.h"

extern char** environ;

namespace {

// Starts `bin`, returns ms from spawn to its "window-shown" line (-1 on failure).
double launch(const char* bin) {
    int out[2];
    if (pipe(out) != 0) return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char* argv[] = {const_cast<char*>(bin), nullptr};
    pid_t pid = 0;
    const auto t0 = std::chrono::steady_clock::now().time_since_epoch().count();
    const int rc = posix_spawn(&pid, bin, &fa, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (rc != 0) return -1;
    std::string text;
    char buf[256];
    for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, std::size_t(n));
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    const auto at = text.find("window-shown-monotonic-ns ");
    if (at == std::string::npos) return -1;
    const long long shown = std::atoll(text.c_str() + at + std::strlen("window-shown-monotonic-ns "));
    return double(shown - t0) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::atoi(argv[1]) : 10;
    setenv("LATENT_STUDIO_EXIT_WHEN_SHOWN", "1", 1);
    if (!getenv("QT_QPA_PLATFORM") && !getenv("DISPLAY")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    char home[] = "/tmp/latent-bench-startup-XXXXXX";
    if (!mkdtemp(home)) return 1;
    setenv("LATENT_STUDIO_HOME", home, 1);  // a first-run profile, no user models
    std::vector<double> floor, studio;
    launch(QT_FLOOR_BIN);  // warm the page cache for both
    launch(LATENT_STUDIO_BIN);
    for (int i = 0; i < runs; ++i) {
        floor.push_back(launch(QT_FLOOR_BIN));
        studio.push_back(launch(LATENT_STUDIO_BIN));
    }
    std::string cleanup = std::string("rm -rf ") + home;
    if (std::system(cleanup.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", home);
    for (double v : floor) if (v < 0) { std::fprintf(stderr, "the Qt floor program did not report\n"); return 1; }
    for (double v : studio) if (v < 0) { std::fprintf(stderr, "latent-studio did not report its window\n"); return 1; }
    std::printf("exec -> first shown main window, %d cold-process runs, platform %s (ms)\n", runs,
                getenv("QT_QPA_PLATFORM") ? getenv("QT_QPA_PLATFORM") : "xcb");
    const auto f = latent::bench::stats(floor), s = latent::bench::stats(studio);
    latent::bench::printRow("bare Qt Widgets window (floor)", f, "ms");
    latent::bench::printRow("Latent Studio", s, "ms");
    std::printf("ratio studio / floor: median %.2fx (goal: studio <= 1500 ms)\n", s.median / f.median);
    return 0;
}
