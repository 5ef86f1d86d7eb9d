#pragma once
// The in-app log: the last lines of the studio's log with a level filter.
#include <QDockWidget>

class QComboBox;
class QListView;

namespace latent {

class LogFilterModel;
class LogModel;

class LogDock : public QDockWidget {
    Q_OBJECT
public:
    LogDock(LogModel* model, QWidget* parent = nullptr);
    QListView* view() const { return m_view; }
    LogFilterModel* filter() const { return m_filter; }

private:
    LogModel* m_model;
    LogFilterModel* m_filter;
    QListView* m_view;
    QComboBox* m_level;
};

}  // namespace latent
