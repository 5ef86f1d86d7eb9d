#pragma once
// Models (registry entries, invalid ones in red with their error), plugins
// (state and error), model folders, rescan and TorchScript import.
#include <QDialog>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace latent {

class ModelFoldersEditor;
class Studio;

class ModelManagerDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelManagerDialog(Studio& studio, QWidget* parent = nullptr);
    QTableView* modelsView() const { return m_models; }
    QTableView* pluginsView() const { return m_plugins; }

public Q_SLOTS:
    void rescan();
    void importTorchScript();

private:
    void setNote(const QString& text);
    void updateBusy();

    Studio& m_studio;
    QTabWidget* m_tabs;
    QTableView* m_models;
    QTableView* m_plugins;
    ModelFoldersEditor* m_folders;
    QPushButton* m_rescan;
    QLabel* m_note;
};

}  // namespace latent
