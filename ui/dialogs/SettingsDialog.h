#pragma once
// Device, threads, RAM budget, model folders, theme and log level. Applied
// live to the running engine and the app, and persisted.
#include <QDialog>

class QComboBox;
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

private:
    void load();

    Studio& m_studio;
    QComboBox* m_device;
    QSpinBox* m_threads;
    QSpinBox* m_ramBudget;
    QComboBox* m_theme;
    QComboBox* m_logLevel;
    ModelFoldersEditor* m_folders;
};

}  // namespace latent
