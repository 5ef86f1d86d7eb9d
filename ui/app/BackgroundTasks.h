#pragma once
// Runs slow chores (model rescans, engine start, file imports) off the GUI
// thread and hands the result back as a queued call. QtConcurrent is not
// linked, and a plain std::thread per chore is enough for these rare jobs.
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace latent {

class BackgroundTasks : public QObject {
    Q_OBJECT
public:
    explicit BackgroundTasks(QObject* parent = nullptr);
    // Joins every thread: the chores may use objects their owner is about to
    // destroy, so they must be over first.
    ~BackgroundTasks() override;

    // Runs `work` on a new thread, then `done` on this object's thread with
    // the message of an exception `work` threw (empty on success).
    void run(std::function<void()> work, std::function<void(const QString& error)> done = {});
    int pending() const;
    void waitAll();

private:
    struct Task {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    void reap();
    std::vector<Task> m_tasks;
};

}  // namespace latent
