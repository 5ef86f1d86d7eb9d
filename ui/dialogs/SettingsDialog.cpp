#include "dialogs/SettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include "app/Logging.h"
#include "app/Studio.h"
#include "app/Theme.h"
#include "dialogs/ModelFoldersEditor.h"
#include "latent/Engine.h"

namespace latent {

SettingsDialog::SettingsDialog(Studio& studio, QWidget* parent) : QDialog(parent), m_studio(studio) {
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    auto* layout = new QVBoxLayout(this);

    auto* engineBox = new QGroupBox(tr("Engine"), this);
    auto* ef = new QFormLayout(engineBox);
    ef->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_device = new QComboBox(engineBox);
    m_device->setObjectName(QStringLiteral("device"));
    if (studio.engine()) {
        for (const DeviceInfo& d : studio.engine()->devices())
            m_device->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(d.name), QString::fromStdString(d.id)),
                              QString::fromStdString(d.id));
    }
    m_device->setEnabled(m_device->count() > 0);
    ef->addRow(tr("Device"), m_device);
    m_threads = new QSpinBox(engineBox);
    m_threads->setObjectName(QStringLiteral("threads"));
    m_threads->setRange(0, 1024);
    m_threads->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    m_threads->setToolTip(tr("Intra-op threads of each job; applies from the next job"));
    ef->addRow(tr("Threads"), m_threads);
    m_ramBudget = new QSpinBox(engineBox);
    m_ramBudget->setObjectName(QStringLiteral("ramBudget"));
    m_ramBudget->setRange(256, 1024 * 1024);
    m_ramBudget->setSingleStep(256);
    m_ramBudget->setSuffix(tr(" MB"));
    m_ramBudget->setToolTip(tr("Loaded models beyond this budget are unloaded, least recently used first"));
    ef->addRow(tr("Model RAM budget"), m_ramBudget);
    layout->addWidget(engineBox);

    auto* foldersBox = new QGroupBox(tr("Model folders"), this);
    auto* fl = new QVBoxLayout(foldersBox);
    m_folders = new ModelFoldersEditor(studio, foldersBox);
    fl->addWidget(m_folders);
    layout->addWidget(foldersBox, 1);

    auto* appBox = new QGroupBox(tr("Appearance and logging"), this);
    auto* af = new QFormLayout(appBox);
    m_theme = new QComboBox(appBox);
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("Dark"), themeName(Theme::Dark));
    m_theme->addItem(tr("Light"), themeName(Theme::Light));
    af->addRow(tr("Theme"), m_theme);
    m_logLevel = new QComboBox(appBox);
    m_logLevel->setObjectName(QStringLiteral("logLevel"));
    m_logLevel->addItem(tr("Debug"), QStringLiteral("debug"));
    m_logLevel->addItem(tr("Info"), QStringLiteral("info"));
    m_logLevel->addItem(tr("Warning"), QStringLiteral("warning"));
    m_logLevel->addItem(tr("Error"), QStringLiteral("error"));
    af->addRow(tr("Log level"), m_logLevel);
    layout->addWidget(appBox);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &SettingsDialog::apply);
    resize(560, 560);
    load();
}

void SettingsDialog::load() {
    AppSettings& s = m_studio.settings();
    QString device = s.device();
    if (device.isEmpty()) device = m_studio.deviceId();
    const int di = m_device->findData(device);
    if (di >= 0) m_device->setCurrentIndex(di);
    const Engine* engine = m_studio.engine();
    m_threads->setValue(s.threads().value_or(engine ? engine->config().threads : 0));
    const qint64 defaultMb = engine ? qint64(engine->config().ramBudgetBytes >> 20) : 4096;
    m_ramBudget->setValue(int(s.ramBudgetMb().value_or(defaultMb)));
    m_theme->setCurrentIndex(m_theme->findData(themeName(s.theme())));
    const int li = m_logLevel->findData(logLevelToName(logLevelFromName(s.logLevel())));
    m_logLevel->setCurrentIndex(li >= 0 ? li : 1);
}

void SettingsDialog::apply() {
    AppSettings& s = m_studio.settings();
    if (m_device->currentIndex() >= 0) s.setDevice(m_device->currentData().toString());
    s.setThreads(m_threads->value());
    s.setRamBudgetMb(m_ramBudget->value());
    s.setTheme(themeFromName(m_theme->currentData().toString()));
    s.setLogLevel(m_logLevel->currentData().toString());
    s.sync();
    m_studio.applyEngineSettings();
    applyTheme(s.theme());
    setGuiLogLevel(logLevelFromName(s.logLevel()));
    spdlog::info("Settings applied: device {}, threads {}, RAM budget {} MB, theme {}, log level {}",
                 m_studio.deviceId().toStdString(), m_threads->value(), m_ramBudget->value(),
                 themeName(s.theme()).toStdString(), s.logLevel().toStdString());
}

void SettingsDialog::accept() {
    apply();
    QDialog::accept();
}

}  // namespace latent
