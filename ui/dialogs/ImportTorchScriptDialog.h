#pragma once
// Import a TorchScript image generator as a model package. The copy and the
// checksum run on a helper thread; the dialog stays responsive meanwhile.
#include <QDialog>

#include "app/BackgroundTasks.h"

class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSpinBox;

namespace latent {

class MessageBanner;

class ImportTorchScriptDialog : public QDialog {
    Q_OBJECT
public:
    // `destRoot`: where packages go (StudioPaths::userModelDir() in the app).
    explicit ImportTorchScriptDialog(const QString& destRoot, QWidget* parent = nullptr);

    void setSourceFile(const QString& path);
    QString importedModelId() const { return m_importedId; }
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    void startImport();
    void reject() override;

Q_SIGNALS:
    void imported(const QString& modelId);

private:
    void browse();
    void setBusy(bool busy);
    void validate();

    QString m_destRoot;
    QLineEdit* m_file;
    QLineEdit* m_name;
    QLineEdit* m_id;
    QSpinBox* m_latentDim;
    QSpinBox* m_classes;
    QDoubleSpinBox* m_low;
    QDoubleSpinBox* m_high;
    MessageBanner* m_banner;
    QProgressBar* m_busyBar;
    QDialogButtonBox* m_buttons;
    BackgroundTasks m_tasks;
    bool m_busy = false;
    QString m_importedId;
};

}  // namespace latent
