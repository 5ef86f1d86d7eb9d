#pragma once
// The engine's only contact with torch, behind a torch-free header. The core
// engine does not link torch: these functions load liblatent_torch.so (which
// does) on first use, so the GUI shows its window and the CLI answers
// --version without paying for LibTorch's hundreds of shared libraries.
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "latent/DeviceInfo.h"

namespace latent::torch_runtime {

std::vector<DeviceInfo> discoverDevices(bool includeCuda);
int hardwareThreads();
// torch's intra-op thread count is per thread under OpenMP, so each worker
// applies it to itself before a job; 0 = all cores.
void applyThreadCount(int threads);
int currentThreadCount();
std::string version();
// Runs `fn` inside c10::InferenceMode entered on the calling (worker) thread.
void runInInferenceMode(const std::function<void()>& fn);
// A readable one-line message for any exception (c10::Error without its backtrace).
std::string describe(const std::exception& e);
// Loads the torch runtime now (throws Error(Runtime) naming the library when it
// cannot be loaded); every function above does this implicitly.
void ensureLoaded();

// What liblatent_torch.so exports through `latent_torch_runtime_v1` (C linkage).
struct Api {
    std::uint32_t size;  // sizeof(Api) as the library was built
    std::vector<DeviceInfo> (*discoverDevices)(bool includeCuda);
    void (*applyThreadCount)(int threads);
    int (*currentThreadCount)();
    const char* (*version)();
    void (*runInInferenceMode)(const std::function<void()>& fn);
    std::string (*describe)(const std::exception& e);
};

}  // namespace latent::torch_runtime

#define LATENT_TORCH_RUNTIME_SYMBOL "latent_torch_runtime_v1"
