#pragma once
// The engine's only contact with torch, behind a torch-free header.
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

}  // namespace latent::torch_runtime
