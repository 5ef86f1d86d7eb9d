#include "torch/TorchRuntime.h"

#include <unistd.h>


#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

// LATENT_WITH_CUDA: set by engine/CMakeLists.txt when LibTorch has CUDA (never
// for Debian's CPU-only libtorch). CUDAContext.h also pulls in the cuBLAS,
// cuSPARSE and cuSOLVER headers; a toolkit without them keeps the generic names.
#if defined(LATENT_WITH_CUDA) && LATENT_WITH_CUDA && __has_include(<ATen/cuda/CUDAContext.h>) && \
    __has_include(<cuda_runtime_api.h>) && __has_include(<cublas_v2.h>) && __has_include(<cublasLt.h>) && \
    __has_include(<cusparse.h>) && __has_include(<cusolverDn.h>)
#include <ATen/cuda/CUDAContext.h>
#define LATENT_CUDA_DEVICE_PROPERTIES 1
#elif defined(LATENT_WITH_CUDA) && LATENT_WITH_CUDA
#pragma message("CUDA headers for ATen/cuda/CUDAContext.h not found: CUDA devices get generic names")
#endif

#include "latent/BuildInfo.h"

// Distinct names from the loader-side declarations in TorchRuntime.h.
namespace latent::torch_impl {
namespace {

using torch_runtime::hardwareThreads;  // torch-free, lives in the core engine

std::vector<DeviceInfo> discoverDevices(bool includeCuda) {
    std::vector<DeviceInfo> out;
    DeviceInfo cpu;
    cpu.id = "cpu";
    cpu.name = "CPU (" + std::to_string(hardwareThreads()) + " threads)";
    cpu.totalMemoryBytes = std::uint64_t(sysconf(_SC_PHYS_PAGES)) * std::uint64_t(sysconf(_SC_PAGE_SIZE));
    out.push_back(cpu);
    if (includeCuda) {
        try {
            const auto n = torch::cuda::device_count();
            for (std::size_t i = 0; i < n; ++i) {
                DeviceInfo d;
                d.id = "cuda:" + std::to_string(i);
                d.name = "CUDA device " + std::to_string(i);
                d.cuda = true;
#ifdef LATENT_CUDA_DEVICE_PROPERTIES
                try {
                    if (const cudaDeviceProp* p = at::cuda::getDeviceProperties(c10::DeviceIndex(i))) {
                        if (p->name[0] != '\0') d.name = p->name;
                        d.totalMemoryBytes = std::uint64_t(p->totalGlobalMem);
                    }
                } catch (const std::exception&) {
                    // Keep the generic name: the device is still usable.
                }
#endif
                out.push_back(d);
            }
        } catch (const std::exception&) {
            // A broken driver means "no CUDA", not a failed start.
        }
    }
    return out;
}

void applyThreadCount(int threads) {
    const int want = threads > 0 ? threads : hardwareThreads();
    thread_local int applied = -1;
    if (applied == want) return;
    at::set_num_threads(want);
    applied = want;
}

int currentThreadCount() { return at::get_num_threads(); }

const char* version() { return LATENT_TORCH_VERSION; }

void runInInferenceMode(const std::function<void()>& fn) {
    c10::InferenceMode guard;
    fn();
}

std::string describe(const std::exception& e) {
    if (const auto* c10e = dynamic_cast<const c10::Error*>(&e)) return c10e->what_without_backtrace();
    return e.what();
}

}  // namespace
}  // namespace latent::torch_impl

extern "C" __attribute__((visibility("default"))) const latent::torch_runtime::Api* latent_torch_runtime_v1() {
    using namespace latent::torch_impl;
    static const latent::torch_runtime::Api api{sizeof(latent::torch_runtime::Api), &discoverDevices,
                                                &applyThreadCount, &currentThreadCount, &version,
                                                &runInInferenceMode, &describe};
    return &api;
}
