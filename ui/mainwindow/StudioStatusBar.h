#pragma once
// Device, threads, process memory (refreshed each second) and the running
// job with its progress.
#include <QStatusBar>
#include <QTimer>

class QLabel;
class QProgressBar;

namespace latent {

class Studio;

class StudioStatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit StudioStatusBar(Studio& studio, QWidget* parent = nullptr);

    // Resident memory of this process in bytes (from /proc/self/statm); 0 when unknown.
    static std::uint64_t residentBytes();
    QString memoryText() const;

private:
    void updateEngine();
    void updateMemory();
    void updateJob();

    Studio& m_studio;
    QLabel* m_job;
    QProgressBar* m_progress;
    QLabel* m_device;
    QLabel* m_threads;
    QLabel* m_memory;
    QTimer m_timer;
};

}  // namespace latent
