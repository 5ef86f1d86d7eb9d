#pragma once
// The job queue: every job's label, model, state, progress, ETA and elapsed
// time, with Cancel (selection), Cancel all, Pause/Resume for the whole
// queue, and drag and drop to reorder the jobs still waiting.
#include <QDockWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace latent {

class MessageBanner;
class Studio;

class QueueDock : public QDockWidget {
    Q_OBJECT
public:
    explicit QueueDock(Studio& studio, QWidget* parent = nullptr);
    QTableView* view() const { return m_view; }
    QPushButton* pauseButton() const { return m_pause; }
    QLabel* stateLabel() const { return m_state; }
    MessageBanner* banner() const { return m_banner; }
    // "3 queued jobs restored from the last session — the queue is paused: …"
    static QString restoredText(int jobs);

public Q_SLOTS:
    void cancelSelected();
    void cancelAll();
    void togglePaused();
    // "N queued jobs restored from the last session…", with Resume.
    void showRestored(int jobs);

private:
    void updateButtons();
    void updateQueueState();

    Studio& m_studio;
    MessageBanner* m_banner;
    QTableView* m_view;
    QLabel* m_state;
    QPushButton* m_pause;
    // The paused state the button shows: it is restyled only when that
    // changes, not on every progress event (an SVG icon per event showed in
    // the GUI stall bench).
    int m_shownPaused = -1;
    QPushButton* m_cancel;
    QPushButton* m_cancelAll;
    QPushButton* m_clear;
};

}  // namespace latent
