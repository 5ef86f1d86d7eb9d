#pragma once
// Device, threads, RAM budget, model folders, results storage, theme and log
// level. Applied live to the running engine and the app, and persisted; a
// new results folder is the one exception: it is used from the next start.
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace latent {

class ModelFoldersEditor;
class Studio;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(Studio& studio, QWidget* parent = nullptr);

public Q_SLOTS:
    void apply();
    void accept() override;

Q_SIGNALS:
    // A lower size cap removed this many old results just now.
    void resultsPruned(int count);

private:
    void load();
    QWidget* buildStorage();
    void applyStorage();
    void updateStorageNote();

    Studio& m_studio;
    QComboBox* m_device;
    QSpinBox* m_threads;
    QSpinBox* m_ramBudget;
    QComboBox* m_theme;
    QComboBox* m_logLevel;
    ModelFoldersEditor* m_folders;
    QLineEdit* m_resultsFolder = nullptr;
    QSpinBox* m_resultsCap = nullptr;
    QLabel* m_storageNote = nullptr;
};

}  // namespace latent
