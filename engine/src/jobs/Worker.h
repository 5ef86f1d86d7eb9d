#pragma once
// One thread per device. Stopping is cooperative; a thread that outlives the
// shutdown grace period is detached (abandoned), never terminated.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace latent {

class Worker {
public:
    Worker(std::string device, std::function<void()> loop);
    ~Worker();  // joins (after joinFor, only if it joined)
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    const std::string& device() const { return m_device; }
    // Waits up to `timeout` for the loop to return; true if joined, false if
    // the thread was detached because it did not end in time.
    bool joinFor(std::chrono::milliseconds timeout);

private:
    struct ExitState {
        std::mutex mutex;
        std::condition_variable cv;
        bool exited = false;
    };
    std::string m_device;
    std::shared_ptr<ExitState> m_exit = std::make_shared<ExitState>();
    std::thread m_thread;
};

}  // namespace latent
