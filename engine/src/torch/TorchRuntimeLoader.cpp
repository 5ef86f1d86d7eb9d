// The core engine's side of torch_runtime: loads liblatent_torch.so from
// beside liblatent_engine.so on first use and forwards to it.
#include <dlfcn.h>
#include <malloc.h>
#include <cstdlib>
#include <cstring>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "latent/Error.h"
#include "torch/TorchRuntime.h"

namespace latent::torch_runtime {
namespace {

// Set once by ensureLoaded(); read by describe() from any worker.
std::atomic<const Api*> g_api{nullptr};

std::filesystem::path engineLibraryDir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&ensureLoaded), &info) && info.dli_fname)
        return std::filesystem::path(info.dli_fname).parent_path();
    return {};
}

// glibc hands large freed blocks straight back to the kernel (mmap above a
// moving threshold, heap top trimmed above 128 KiB), so every batch paged its
// activations in again: Glow decoded 64 images at 101/s instead of 246/s
// (bench_image_decode). Freed tensors up to 64 MiB now stay for reuse. A
// user's own malloc tunables win.
void keepFreedTensorMemory() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if ((tunables && std::strstr(tunables, "malloc")) || std::getenv("MALLOC_MMAP_THRESHOLD_") ||
        std::getenv("MALLOC_TRIM_THRESHOLD_"))
        return;
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's upper limit on 64-bit
    ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

const Api& api() {
    ensureLoaded();
    return *g_api.load();
}

}  // namespace

void ensureLoaded() {
    static std::once_flag once;
    static std::string failure;
    std::call_once(once, [] {
        const auto dir = engineLibraryDir();
        const std::string path = (dir.empty() ? std::filesystem::path("liblatent_torch.so")
                                              : dir / "liblatent_torch.so").string();
        // Never closed: torch cannot be unloaded safely, and jobs hold its objects.
        // OpenMP reads its settings when LibTorch loads it, here. Its default
        // spin-waiting makes intra-op threads 10x slower whenever another
        // process shares the cores (measured on 2 cores); a user's own
        // setting wins.
        ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        keepFreedTensorMemory();
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            failure = "cannot load the torch runtime " + path + ": " + dlerror();
            return;
        }
        using Entry = const Api* (*)();
        auto entry = reinterpret_cast<Entry>(dlsym(handle, LATENT_TORCH_RUNTIME_SYMBOL));
        const Api* api = entry ? entry() : nullptr;
        if (!api || api->size < sizeof(Api)) {
            failure = path + " is not a matching torch runtime for this engine";
            return;
        }
        g_api = api;
    });
    if (!g_api) throw Error(ErrorKind::Runtime, failure);
}

std::vector<DeviceInfo> discoverDevices(bool includeCuda) { return api().discoverDevices(includeCuda); }

int hardwareThreads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : int(n);
}

void applyThreadCount(int threads) { api().applyThreadCount(threads); }
int currentThreadCount() { return api().currentThreadCount(); }
std::string version() { return api().version(); }
void runInInferenceMode(const std::function<void()>& fn) { api().runInInferenceMode(fn); }

std::string describe(const std::exception& e) {
    // Without the runtime there can be no torch exception to unwrap.
    const Api* loaded = g_api.load();
    return loaded ? loaded->describe(e) : std::string(e.what());
}

}  // namespace latent::torch_runtime
