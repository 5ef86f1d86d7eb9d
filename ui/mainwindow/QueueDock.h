#pragma once
// The job queue: every job's label, model, state, progress, ETA and elapsed
// time, with Cancel (selection) and Cancel all.
#include <QDockWidget>

class QPushButton;
class QTableView;

namespace latent {

class Studio;

class QueueDock : public QDockWidget {
    Q_OBJECT
public:
    explicit QueueDock(Studio& studio, QWidget* parent = nullptr);
    QTableView* view() const { return m_view; }

public Q_SLOTS:
    void cancelSelected();
    void cancelAll();

private:
    void updateButtons();

    Studio& m_studio;
    QTableView* m_view;
    QPushButton* m_cancel;
    QPushButton* m_cancelAll;
    QPushButton* m_clear;
};

}  // namespace latent
