#include "dialogs/ImportTorchScriptDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include "latent/TorchScriptImport.h"
#include "widgets/MessageBanner.h"

namespace latent {

ImportTorchScriptDialog::ImportTorchScriptDialog(const QString& destRoot, QWidget* parent)
    : QDialog(parent), m_destRoot(destRoot) {
    setWindowTitle(tr("Import TorchScript generator"));
    setObjectName(QStringLiteral("importTorchScriptDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Wraps a TorchScript module that maps a latent vector (and optionally a class "
                                "label) to an image batch as a model package in your model folder."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* fileRow = new QHBoxLayout;
    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("sourceFile"));
    m_file->setPlaceholderText(tr("generator.pt"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    form->addRow(tr("TorchScript file"), fileRow);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("modelName"));
    form->addRow(tr("Name"), m_name);
    m_id = new QLineEdit(this);
    m_id->setObjectName(QStringLiteral("modelId"));
    m_id->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[a-z0-9]+(-[a-z0-9]+)*-?")), m_id));
    m_id->setPlaceholderText(tr("derived from the name"));
    m_id->setToolTip(tr("Folder name and model id: lower-case letters, digits and '-'"));
    form->addRow(tr("Id"), m_id);
    m_latentDim = new QSpinBox(this);
    m_latentDim->setObjectName(QStringLiteral("latentDim"));
    m_latentDim->setRange(1, 65536);
    m_latentDim->setValue(128);
    m_latentDim->setToolTip(tr("Length of the latent vector the module takes"));
    form->addRow(tr("Latent dimension"), m_latentDim);
    m_classes = new QSpinBox(this);
    m_classes->setObjectName(QStringLiteral("numClasses"));
    m_classes->setRange(0, 100000);
    m_classes->setSpecialValueText(tr("None (unconditional)"));
    m_classes->setToolTip(tr("Number of class labels of a class-conditional generator"));
    form->addRow(tr("Classes"), m_classes);
    auto* rangeRow = new QHBoxLayout;
    m_low = new QDoubleSpinBox(this);
    m_low->setObjectName(QStringLiteral("outputLow"));
    m_low->setRange(-1e6, 1e6);
    m_low->setDecimals(3);
    m_low->setValue(-1.0);
    m_high = new QDoubleSpinBox(this);
    m_high->setObjectName(QStringLiteral("outputHigh"));
    m_high->setRange(-1e6, 1e6);
    m_high->setDecimals(3);
    m_high->setValue(1.0);
    rangeRow->addWidget(m_low);
    rangeRow->addWidget(new QLabel(QStringLiteral("…"), this));
    rangeRow->addWidget(m_high);
    rangeRow->addStretch(1);
    form->addRow(tr("Output range"), rangeRow);
    layout->addLayout(form);

    m_banner = new MessageBanner(this);
    layout->addWidget(m_banner);
    m_busyBar = new QProgressBar(this);
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumHeight(6);
    m_busyBar->hide();
    layout->addWidget(m_busyBar);
    layout->addStretch(1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* importButton = m_buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    importButton->setObjectName(QStringLiteral("importButton"));
    importButton->setDefault(true);
    layout->addWidget(m_buttons);

    connect(browse, &QPushButton::clicked, this, &ImportTorchScriptDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ImportTorchScriptDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportTorchScriptDialog::reject);
    connect(m_file, &QLineEdit::textChanged, this, &ImportTorchScriptDialog::validate);
    connect(m_id, &QLineEdit::textChanged, this, &ImportTorchScriptDialog::validate);
    resize(520, sizeHint().height());
    validate();
}

void ImportTorchScriptDialog::setSourceFile(const QString& path) {
    m_file->setText(path);
    if (m_name->text().isEmpty()) m_name->setText(QFileInfo(path).completeBaseName());
}

void ImportTorchScriptDialog::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a TorchScript module"), m_file->text(),
                                                      tr("TorchScript modules (*.pt *.pth *.ts);;All files (*)"));
    if (!path.isEmpty()) setSourceFile(path);
}

void ImportTorchScriptDialog::validate() {
    QPushButton* importButton = nullptr;
    for (QAbstractButton* b : m_buttons->buttons())
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole) importButton = qobject_cast<QPushButton*>(b);
    if (importButton) importButton->setEnabled(!m_busy && !m_file->text().trimmed().isEmpty());
}

void ImportTorchScriptDialog::setBusy(bool busy) {
    m_busy = busy;
    m_busyBar->setVisible(busy);
    for (QWidget* w : {static_cast<QWidget*>(m_file), static_cast<QWidget*>(m_name), static_cast<QWidget*>(m_id),
                       static_cast<QWidget*>(m_latentDim), static_cast<QWidget*>(m_classes),
                       static_cast<QWidget*>(m_low), static_cast<QWidget*>(m_high)})
        w->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!busy);
    validate();
}

void ImportTorchScriptDialog::reject() {
    // The copy cannot be interrupted halfway; wait for it to finish.
    if (m_busy) return;
    QDialog::reject();
}

void ImportTorchScriptDialog::startImport() {
    if (m_busy) return;
    m_banner->dismiss();
    TorchScriptImportOptions o;
    o.file = m_file->text().trimmed().toStdString();
    o.destRoot = m_destRoot.toStdString();
    o.createDestRoot = true;  // the studio's own model folder
    QString id = m_id->text();
    while (id.endsWith(QLatin1Char('-'))) id.chop(1);
    o.id = id.toStdString();
    o.name = m_name->text().trimmed().toStdString();
    o.latentDim = m_latentDim->value();
    o.numClasses = m_classes->value();
    o.rangeLow = m_low->value();
    o.rangeHigh = m_high->value();
    setBusy(true);
    auto result = std::make_shared<ModelPackage>();
    // Copying and hashing a large module takes a while: keep it off the GUI thread.
    m_tasks.run([o, result] { *result = importTorchScript(o); },
                [this, result](const QString& error) {
                    setBusy(false);
                    if (!error.isEmpty()) {
                        spdlog::error("TorchScript import failed: {}", error.toStdString());
                        m_banner->showError(tr("Import failed: %1").arg(error));
                        return;
                    }
                    m_importedId = QString::fromStdString(result->id);
                    spdlog::info("Imported TorchScript model {} into {}", result->id, result->dir.string());
                    Q_EMIT imported(m_importedId);
                    accept();
                });
}

}  // namespace latent
