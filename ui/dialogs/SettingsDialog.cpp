#include "dialogs/SettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
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
#include "latent/StudioPaths.h"
#include "latent/library/ResultLibrary.h"

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
    layout->addWidget(buildStorage());

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
    resize(560, 680);
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
    const StudioPaths::ResultsStorage storage = StudioPaths::resultsStorage();
    m_resultsFolder->setText(QString::fromStdString(storage.folder.string()));
    m_resultsCap->setValue(int(std::min<std::uint64_t>(storage.capBytes >> 20, std::uint64_t(m_resultsCap->maximum()))));
    updateStorageNote();
}

QWidget* SettingsDialog::buildStorage() {
    auto* box = new QGroupBox(tr("Storage"), this);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* row = new QHBoxLayout;
    m_resultsFolder = new QLineEdit(box);
    m_resultsFolder->setObjectName(QStringLiteral("resultsFolder"));
    m_resultsFolder->setPlaceholderText(QString::fromStdString(StudioPaths::defaultResultsDir().string()));
    m_resultsFolder->setToolTip(tr("Where every result (its files and the library's database) is kept; the CLI "
                                   "records there too. A new folder is used from the next start."));
    auto* browse = new QPushButton(tr("Browse…"), box);
    browse->setObjectName(QStringLiteral("resultsBrowse"));
    row->addWidget(m_resultsFolder, 1);
    row->addWidget(browse);
    form->addRow(tr("Results folder"), row);
    m_resultsCap = new QSpinBox(box);
    m_resultsCap->setObjectName(QStringLiteral("resultsCap"));
    m_resultsCap->setRange(0, 100 * 1024 * 1024);  // 100 TB
    m_resultsCap->setSingleStep(256);
    m_resultsCap->setSuffix(tr(" MB"));
    m_resultsCap->setSpecialValueText(tr("No cap"));
    m_resultsCap->setToolTip(tr("When the results take more than this, the oldest are removed (the trash first); "
                                "favourites never are. 0: keep everything."));
    form->addRow(tr("Size cap"), m_resultsCap);
    m_storageNote = new QLabel(box);
    m_storageNote->setObjectName(QStringLiteral("storageNote"));
    m_storageNote->setWordWrap(true);
    form->addRow(m_storageNote);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Results folder"), m_resultsFolder->text());
        if (!dir.isEmpty()) m_resultsFolder->setText(dir);
    });
    connect(m_resultsFolder, &QLineEdit::textChanged, this, &SettingsDialog::updateStorageNote);
    return box;
}

namespace {

std::filesystem::path folderFromText(QString text) {
    text = text.trimmed();
    if (text.isEmpty()) return StudioPaths::defaultResultsDir();
    if (text == QLatin1String("~") || text.startsWith(QLatin1String("~/"))) text.replace(0, 1, QDir::homePath());
    return std::filesystem::path(QFileInfo(text).absoluteFilePath().toStdString()).lexically_normal();
}

}  // namespace

void SettingsDialog::updateStorageNote() {
    QStringList lines;
    Engine* engine = m_studio.engine();
    if (ResultLibrary* library = engine ? engine->results() : nullptr) {
        try {
            lines << tr("In use: %1 in %n result(s).", nullptr, int(library->count()))
                         .arg(QLocale().formattedDataSize(qint64(library->totalBytes()), 1));
        } catch (const std::exception& e) {
            lines << tr("The library cannot be read: %1").arg(QString::fromUtf8(e.what()));
        }
    } else if (engine) {
        lines << tr("Results are not recorded now: %1").arg(QString::fromStdString(engine->recordingProblem()));
    }
    const auto running = engine ? engine->config().resultsDir.lexically_normal() : std::filesystem::path();
    if (engine && folderFromText(m_resultsFolder->text()) != running)
        lines << tr("A new folder is used after a restart; results already kept stay in %1.")
                     .arg(QString::fromStdString(running.string()));
    m_storageNote->setText(lines.join(QLatin1Char('\n')));
}

void SettingsDialog::applyStorage() {
    StudioPaths::ResultsStorage storage;
    storage.folder = folderFromText(m_resultsFolder->text());
    storage.capBytes = std::uint64_t(m_resultsCap->value()) << 20;
    try {
        StudioPaths::setResultsStorage(storage);
    } catch (const std::exception& e) {
        spdlog::error("Cannot save the results storage settings: {}", e.what());
        m_storageNote->setText(tr("Cannot save the storage settings: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    Engine* engine = m_studio.engine();
    if (!engine) return;
    // The cap holds from now on, not only from the next result.
    engine->setResultsCap(storage.capBytes);
    if (ResultLibrary* library = engine->results(); library && storage.capBytes > 0) {
        try {
            if (const auto pruned = library->prune(storage.capBytes); pruned > 0) {
                spdlog::info("Results over the new cap: removed the {} oldest", pruned);
                Q_EMIT resultsPruned(int(pruned));
            }
        } catch (const std::exception& e) {
            spdlog::error("Cannot prune the results library: {}", e.what());
        }
    }
    updateStorageNote();
}

void SettingsDialog::apply() {
    AppSettings& s = m_studio.settings();
    if (m_device->currentIndex() >= 0) s.setDevice(m_device->currentData().toString());
    s.setThreads(m_threads->value());
    s.setRamBudgetMb(m_ramBudget->value());
    s.setTheme(themeFromName(m_theme->currentData().toString()));
    s.setLogLevel(m_logLevel->currentData().toString());
    s.sync();
    applyStorage();
    m_studio.applyEngineSettings();
    applyTheme(s.theme());
    setGuiLogLevel(logLevelFromName(s.logLevel()));
    spdlog::info("Settings applied: device {}, threads {}, RAM budget {} MB, results cap {} MB, theme {}, log level {}",
                 m_studio.deviceId().toStdString(), m_threads->value(), m_ramBudget->value(), m_resultsCap->value(),
                 themeName(s.theme()).toStdString(), s.logLevel().toStdString());
}

void SettingsDialog::accept() {
    apply();
    QDialog::accept();
}

}  // namespace latent
