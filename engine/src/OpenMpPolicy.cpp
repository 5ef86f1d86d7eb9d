#include "latent/OpenMpPolicy.h"

#include <link.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace latent {

namespace {

bool libgompLoaded() {
    bool found = false;
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            if (info->dlpi_name && std::strstr(info->dlpi_name, "libgomp")) {
                *static_cast<bool*>(data) = true;
                return 1;
            }
            return 0;
        },
        &found);
    return found;
}

}  // namespace

void ensurePassiveOpenMp(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY")) return;  // the user's choice, or already re-executed
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    if (!libgompLoaded()) return;  // LibTorch will load it later and read the setting then
    ::execv("/proc/self/exe", argv);
    // Only reached when exec failed: run on, slower under load, and say why.
    std::fprintf(stderr, "latent-studio: could not restart with OMP_WAIT_POLICY=PASSIVE (%s); continuing\n",
                 std::strerror(errno));
}

}  // namespace latent
