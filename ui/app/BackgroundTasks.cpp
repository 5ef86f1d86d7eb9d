#include "app/BackgroundTasks.h"

#include <QMetaObject>

#include <exception>

namespace latent {

BackgroundTasks::BackgroundTasks(QObject* parent) : QObject(parent) {}

BackgroundTasks::~BackgroundTasks() { waitAll(); }

void BackgroundTasks::run(std::function<void()> work, std::function<void(const QString&)> done) {
    reap();
    auto finished = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([this, work = std::move(work), done = std::move(done), finished]() mutable {
        QString error;
        try {
            work();
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        // `this` outlives the thread (the destructor joins), and a call still
        // queued when it dies is discarded by Qt.
        if (done) {
            QMetaObject::invokeMethod(
                this, [done = std::move(done), error]() { done(error); }, Qt::QueuedConnection);
        }
        finished->store(true);
    });
    m_tasks.push_back(Task{std::move(thread), std::move(finished)});
}

int BackgroundTasks::pending() const {
    int n = 0;
    for (const Task& t : m_tasks) n += t.finished->load() ? 0 : 1;
    return n;
}

void BackgroundTasks::waitAll() {
    for (Task& t : m_tasks)
        if (t.thread.joinable()) t.thread.join();
    m_tasks.clear();
}

void BackgroundTasks::reap() {
    std::erase_if(m_tasks, [](Task& t) {
        if (!t.finished->load()) return false;
        t.thread.join();
        return true;
    });
}

}  // namespace latent
