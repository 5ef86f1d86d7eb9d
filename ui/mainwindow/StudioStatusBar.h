#pragma once
// Device, threads, process memory (refreshed each second), the running job
// with its progress, whether results are recorded, and a passing message
// when one could not be kept (never a dialog per job).
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
    // "Recording off" (the reason as its tooltip) when results are not kept; empty when they are.
    QString recordingText() const;

private:
    void updateEngine();
    void updateMemory();
    void updateJob();
    void updateRecording();
    void onResultRecorded(qint64 jobId, qint64 resultId, const QString& error);

    Studio& m_studio;
    QLabel* m_job;
    QProgressBar* m_progress;
    QLabel* m_device;
    QLabel* m_threads;
    QLabel* m_memory;
    QLabel* m_recording;
    QTimer m_timer;
};

}  // namespace latent
