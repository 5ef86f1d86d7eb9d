#include "torch/TorchRuntime.h"

#include <unistd.h>

#include <thread>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

#include "latent/BuildInfo.h"

namespace latent::torch_runtime {

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
                out.push_back(d);
            }
        } catch (const std::exception&) {
            // A broken driver means "no CUDA", not a failed start.
        }
    }
    return out;
}

int hardwareThreads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : int(n);
}

void applyThreadCount(int threads) {
    const int want = threads > 0 ? threads : hardwareThreads();
    thread_local int applied = -1;
    if (applied == want) return;
    at::set_num_threads(want);
    applied = want;
}

int currentThreadCount() { return at::get_num_threads(); }

std::string version() { return LATENT_TORCH_VERSION; }

void runInInferenceMode(const std::function<void()>& fn) {
    c10::InferenceMode guard;
    fn();
}

std::string describe(const std::exception& e) {
    if (const auto* c10e = dynamic_cast<const c10::Error*>(&e)) return c10e->what_without_backtrace();
    return e.what();
}

}  // namespace latent::torch_runtime
