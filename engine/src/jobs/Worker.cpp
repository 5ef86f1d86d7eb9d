#include "jobs/Worker.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

namespace latent {

Worker::Worker(std::string device, std::function<void()> loop) : m_device(std::move(device)) {
    m_thread = std::thread([exit = m_exit, loop = std::move(loop), name = "latent-" + m_device] {
        pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());  // visible in top/gdb
        loop();
        std::lock_guard lock(exit->mutex);
        exit->exited = true;
        exit->cv.notify_all();
    });
}

Worker::~Worker() {
    if (m_thread.joinable()) m_thread.join();
}

bool Worker::joinFor(std::chrono::milliseconds timeout) {
    if (!m_thread.joinable()) return true;
    std::unique_lock lock(m_exit->mutex);
    if (!m_exit->cv.wait_for(lock, timeout, [&] { return m_exit->exited; })) {
        spdlog::error("worker '{}' did not stop within {} ms; abandoning its job", m_device, timeout.count());
        m_thread.detach();
        return false;
    }
    lock.unlock();
    m_thread.join();
    return true;
}

}  // namespace latent
