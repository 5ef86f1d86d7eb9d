#include "mainwindow/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "app/Studio.h"
#include "app/UiResources.h"
#include "dialogs/ImportTorchScriptDialog.h"
#include "dialogs/ModelManagerDialog.h"
#include "dialogs/SettingsDialog.h"
#include "latent/BuildInfo.h"
#include "latent/Engine.h"
#include "latent/FolderImport.h"
#include "latent/Provenance.h"
#include "latent/StudioPaths.h"
#include "latent/library/ResultLibrary.h"
#include "library/LibraryDock.h"
#include "mainwindow/LogDock.h"
#include "mainwindow/QueueDock.h"
#include "mainwindow/StudioStatusBar.h"
#include "models/JobListModel.h"
#include "models/ModelListModel.h"
#include "panels/audio/AudioPanel.h"
#include "panels/image/ImagePanel.h"
#include "panels/image/LatentSlidersDock.h"
#include "panels/text/TextPanel.h"
#include "panels/video/VideoPanel.h"
#include "widgets/MessageBanner.h"

namespace latent {

MainWindow::MainWindow(Studio& studio, LogModel* log, QWidget* parent) : QMainWindow(parent), m_studio(studio) {
    initUiResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Latent Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("panelTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setIconSize(QSize(18, 18));
    m_panels = {new TextPanel(studio, m_tabs), new ImagePanel(studio, m_tabs), new AudioPanel(studio, m_tabs),
                new VideoPanel(studio, m_tabs)};
    for (GenerationPanel* p : m_panels) {
        m_tabs->addTab(p, QIcon(QStringLiteral(":/icons/") + modalityKey(p->modality()) + QStringLiteral(".svg")),
                       p->title());
        connect(p, &GenerationPanel::openModelManagerRequested, this, &MainWindow::openModelManager);
        connect(p, &GenerationPanel::actionsChanged, this, &MainWindow::updateActions);
    }
    setCentralWidget(m_tabs);

    // Panels keep the full width; the queue and the log share the bottom.
    m_queueDock = new QueueDock(studio, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_queueDock);
    if (log) {
        m_logDock = new LogDock(log, this);
        splitDockWidget(m_queueDock, m_logDock, Qt::Horizontal);
    }
    // The image and audio panels' latent editors sit on the right, each shown
    // with its panel.
    m_slidersDock = new LatentSlidersDock(m_tabs, this);
    if (auto* image = qobject_cast<ImagePanel*>(panel(Modality::Image)))
        m_slidersDock->addPanel(image, image->latentSliders());
    if (auto* audio = qobject_cast<AudioPanel*>(panel(Modality::Audio)))
        m_slidersDock->addPanel(audio, audio->latentSliders());
    addDockWidget(Qt::RightDockWidgetArea, m_slidersDock);
    // The library shares the right side: behind the sliders on the Image
    // panel (they are what editing needs), on its own elsewhere.
    m_libraryDock = new LibraryDock(studio, this);
    addDockWidget(Qt::RightDockWidgetArea, m_libraryDock);
    if (m_slidersDock) {
        tabifyDockWidget(m_libraryDock, m_slidersDock);
        m_slidersDock->raise();
    }
    connect(m_libraryDock, &LibraryDock::useSettingsRequested, this, &MainWindow::useResultSettings);
    m_statusBar = new StudioStatusBar(studio, this);
    setStatusBar(m_statusBar);
    connect(&studio, &Studio::queueRestored, this, [this](int jobs) {
        m_statusBar->showMessage(QueueDock::restoredText(jobs), 15000);
    });
    // Resumed: the notice has done its job.
    connect(studio.jobs(), &JobListModel::queueStateChanged, this, [this] {
        if (!m_studio.jobs()->isPaused() && m_statusBar->currentMessage().contains(tr("restored from the last session")))
            m_statusBar->clearMessage();
    });

    buildMenus();
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    connect(&studio, &Studio::engineStarted, this, &MainWindow::updateActions);

    // Sensible first-run size: most of the screen, never larger than it.
    const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
    resize(qMin(1480, avail.width() * 9 / 10), qMin(920, avail.height() * 9 / 10));
    resizeDocks({m_queueDock}, {230}, Qt::Vertical);
    if (m_logDock) resizeDocks({m_queueDock, m_logDock}, {width() * 11 / 20, width() * 9 / 20}, Qt::Horizontal);
    // Wide enough for a named direction ("sneaker ↔ ankle boot") beside a usable slider.
    if (m_slidersDock) resizeDocks({m_slidersDock}, {390}, Qt::Horizontal);
    else resizeDocks({m_libraryDock}, {390}, Qt::Horizontal);
    restoreWindowState();
    if (m_slidersDock) m_slidersDock->follow();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(QIcon(QStringLiteral(":/icons/open.svg")), tr("&Open image…"));
    open->setObjectName(QStringLiteral("fileOpenImage"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        if (auto* image = qobject_cast<ImagePanel*>(panel(Modality::Image))) {
            m_tabs->setCurrentWidget(image);
            image->openImageInteractive();
        }
    });
    m_save = file->addAction(QIcon(QStringLiteral(":/icons/save.svg")), tr("&Save image…"));
    m_save->setShortcut(QKeySequence::Save);
    connect(m_save, &QAction::triggered, this, [this] {
        // Ctrl+S saves what is on screen: in the Text panel, its text.
        if (auto* text = qobject_cast<TextPanel*>(currentPanel())) {
            text->exportDialog();
            return;
        }
        if (auto* image = qobject_cast<ImagePanel*>(panel(Modality::Image))) {
            m_tabs->setCurrentWidget(image);
            image->saveImageInteractive();
        }
    });
    file->addAction(QIcon(QStringLiteral(":/icons/open.svg")), tr("Open model &folder…"), this,
                    &MainWindow::openModelFolder);
    file->addAction(QIcon(QStringLiteral(":/icons/import.svg")), tr("&Import TorchScript…"), this,
                    &MainWindow::importTorchScript);
    file->addSeparator();
    QAction* settings = file->addAction(QIcon(QStringLiteral(":/icons/settings.svg")), tr("Se&ttings…"), this,
                                        &MainWindow::openSettings);
    settings->setShortcut(QKeySequence(QStringLiteral("Ctrl+,")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* job = menuBar()->addMenu(tr("&Generate"));
    m_generate = job->addAction(QIcon(QStringLiteral(":/icons/generate.svg")), tr("&Generate"));
    m_generate->setObjectName(QStringLiteral("actionGenerate"));
    m_generate->setShortcuts({QKeySequence(QStringLiteral("Ctrl+Return")), QKeySequence(QStringLiteral("Ctrl+Enter"))});
    connect(m_generate, &QAction::triggered, this, [this] {
        if (GenerationPanel* p = currentPanel()) p->generate();
    });
    m_stop = job->addAction(QIcon(QStringLiteral(":/icons/stop.svg")), tr("&Stop"));
    m_stop->setObjectName(QStringLiteral("actionStop"));
    m_stop->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_stop, &QAction::triggered, this, [this] {
        if (GenerationPanel* p = currentPanel()) p->stop();
    });
    job->addSeparator();
    QAction* cancelAll = job->addAction(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("Cancel &all jobs"));
    connect(cancelAll, &QAction::triggered, m_queueDock, &QueueDock::cancelAll);
    // Panel switching with Ctrl+1…4 would clash with the canvas' 100%; use Alt.
    job->addSeparator();
    for (std::size_t i = 0; i < m_panels.size(); ++i) {
        QAction* a = job->addAction(tr("%1 panel").arg(m_panels[i]->title()));
        a->setShortcut(QKeySequence(QStringLiteral("Alt+%1").arg(i + 1)));
        connect(a, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(int(i)); });
    }

    QMenu* models = menuBar()->addMenu(tr("&Models"));
    QAction* manager = models->addAction(QIcon(QStringLiteral(":/icons/models.svg")), tr("&Model Manager…"), this,
                                         &MainWindow::openModelManager);
    manager->setShortcut(QKeySequence(QStringLiteral("Ctrl+M")));
    manager->setObjectName(QStringLiteral("actionModelManager"));
    QAction* rescan = models->addAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Rescan models"));
    rescan->setShortcut(QKeySequence(QStringLiteral("F5")));
    connect(rescan, &QAction::triggered, &m_studio, &Studio::rescanModels);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_queueDock->toggleViewAction());
    if (m_logDock) view->addAction(m_logDock->toggleViewAction());
    if (m_slidersDock) view->addAction(m_slidersDock->toggleViewAction());
    QAction* library = m_libraryDock->toggleViewAction();
    library->setObjectName(QStringLiteral("actionLibrary"));
    library->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    view->addAction(library);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Latent Studio"), this, &MainWindow::showAbout);
}

GenerationPanel* MainWindow::panel(Modality modality) const {
    for (GenerationPanel* p : m_panels)
        if (p->modality() == modality) return p;
    return nullptr;
}

GenerationPanel* MainWindow::currentPanel() const { return qobject_cast<GenerationPanel*>(m_tabs->currentWidget()); }

void MainWindow::updateActions() {
    if (!m_generate) return;
    GenerationPanel* p = currentPanel();
    m_generate->setEnabled(p && p->canGenerate());
    m_stop->setEnabled(p && p->isJobActive());
    m_save->setText(qobject_cast<TextPanel*>(p) ? tr("&Save text…") : tr("&Save image…"));
}

void MainWindow::openModelManager() {
    if (!m_modelManager) {
        m_modelManager = new ModelManagerDialog(m_studio, this);
        m_modelManager->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_modelManager->show();
    m_modelManager->raise();
    m_modelManager->activateWindow();
}

void MainWindow::openSettings() {
    if (!m_settings) {
        m_settings = new SettingsDialog(m_studio, this);
        m_settings->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_settings, &SettingsDialog::resultsPruned, m_libraryDock, &LibraryDock::refresh);
    }
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

void MainWindow::importTorchScript() {
    auto* dialog = new ImportTorchScriptDialog(QString::fromStdString(StudioPaths::userModelDir().string()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportTorchScriptDialog::imported, &m_studio, [this](const QString& id) {
        m_statusBar->showMessage(tr("Imported %1").arg(id), 6000);
        m_studio.rescanModels();
    });
    dialog->open();
}

void MainWindow::openModelFolder() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open model folder (config.json, *.safetensors, tokenizer)"), QDir::homePath());
    if (dir.isEmpty() || !m_studio.engine()) return;
    // 8-bit weights trade a little accuracy for a quarter of the memory and
    // faster decoding on the CPU; the choice is the package's (config dtype).
    const QStringList precisions = {tr("Full precision (float32 on the CPU, bfloat16 on a GPU)"),
                                    tr("8-bit weights (CPU: a quarter of the memory, faster writing)")};
    bool ok = false;
    const QString precision = QInputDialog::getItem(this, tr("Open model folder"), tr("Load the weights as:"),
                                                    precisions, 0, false, &ok);
    if (!ok) return;
    FolderImportOptions o;
    if (precision == precisions[1]) o.config["dtype"] = "int8";
    o.folder = dir.toStdString();
    o.destRoot = StudioPaths::userModelDir();
    o.createDestRoot = true;
    auto result = std::make_shared<ModelPackage>();
    Engine* engine = m_studio.engine();
    m_statusBar->showMessage(tr("Importing %1 (hashing its files)…").arg(dir));
    // Hashing gigabytes of weights takes a while: off the GUI thread.
    m_studio.tasks().run([engine, o, result] { *result = importModelFolder(engine->plugins(), o); },
                         [this, dir, result](const QString& error) {
                             if (!error.isEmpty()) {
                                 spdlog::error("Model folder import failed: {}", error.toStdString());
                                 m_statusBar->clearMessage();
                                 QMessageBox::warning(this, tr("Cannot open model folder"),
                                                      tr("%1\n\n%2").arg(dir, error));
                                 return;
                             }
                             spdlog::info("Imported model folder {} as {}", dir.toStdString(), result->id);
                             m_statusBar->showMessage(tr("Imported %1").arg(QString::fromStdString(result->name)), 6000);
                             m_studio.rescanModels();
                         });
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Latent Studio"),
                       tr("<h3>Latent Studio %1</h3><p>A desktop studio for generative models: text, image, "
                          "audio and video, with a Qt-free LibTorch engine.</p><p>Data folder: %2</p>")
                           .arg(QStringLiteral(LATENT_APP_VERSION),
                                QString::fromStdString(StudioPaths::dataDir().string()).toHtmlEscaped()));
}

bool MainWindow::useResultSettings(qint64 id) {
    ResultLibrary* library = m_studio.engine() ? m_studio.engine()->results() : nullptr;
    if (!library) return false;
    auto fail = [this](const QString& why) {
        m_libraryDock->banner()->showError(why);
        return false;
    };
    std::optional<ResultRecord> record;
    Provenance p;
    try {
        record = library->get(id);
        if (!record) return fail(tr("Result %1 is not in the library any more.").arg(id));
        p = provenanceFromJson(record->provenanceJson);
    } catch (const std::exception& e) {
        return fail(tr("The settings of this result cannot be read: %1").arg(QString::fromUtf8(e.what())));
    }
    if (p.modelId.empty()) p.modelId = record->modelId;
    const Modality modality = record->modality == "image" ? Modality::Image
                              : record->modality == "text" ? Modality::Text
                              : record->modality == "audio" ? Modality::Audio
                                                            : Modality::Video;
    GenerationPanel* target = panel(modality);
    if (!target) return fail(tr("No panel shows %1 results.").arg(QString::fromStdString(record->modality)));
    const QString model = QString::fromStdString(p.modelId);
    if (!m_studio.models()->findValid(model))
        return fail(tr("Model %1 is not installed (or not valid any more), so the settings of this result cannot be "
                       "loaded.").arg(model));
    m_tabs->setCurrentWidget(target);
    QStringList files;
    for (const ResultFile& f : record->files)
        if (f.kind == "image") files << QString::fromStdString(library->absolute(f.path).string());
    const bool present = !files.isEmpty() && std::all_of(files.begin(), files.end(), [](const QString& f) {
        return QFileInfo::exists(f);
    });
    auto* image = qobject_cast<ImagePanel*>(target);
    // An image's files carry its provenance with its latent: opening them
    // restores model, seed, latent and sliders, as opening an export does.
    if (image && present) {
        QStringList names;
        for (int i = 0; i < files.size(); ++i)
            names << (files.size() == 1 ? tr("result %1").arg(id) : tr("result %1 (image %2)").arg(id).arg(i + 1));
        return image->openImages(files, names);
    }
    // A sound's FLAC carries its provenance too: opening it shows the sound
    // itself and restores its settings, latent and sliders.
    auto* audio = qobject_cast<AudioPanel*>(target);
    QString sound;
    for (const ResultFile& f : record->files)
        if (f.kind == "audio" && sound.isEmpty()) sound = QString::fromStdString(library->absolute(f.path).string());
    if (audio && !sound.isEmpty() && QFileInfo::exists(sound)) {
        QString error;
        return audio->openAudioFile(sound, &error, tr("result %1").arg(id));
    }
    QString why;
    if (!target->applyProvenance(p, &why)) return fail(why);
    if (image)
        target->banner()->showMessage(MessageBanner::Kind::Info,
                                      tr("The files of this result are missing; its settings are loaded: press "
                                         "Generate to make it again."));
    m_statusBar->showMessage(tr("Loaded the settings of result %1 (%2, seed %3)").arg(id).arg(model).arg(p.seed), 6000);
    return true;
}

void MainWindow::saveWindowState() {
    QSettings& s = m_studio.settings().store();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/panel"), modalityKey(currentPanel() ? currentPanel()->modality() : Modality::Image));
    for (GenerationPanel* p : m_panels) p->saveState();
    s.sync();
}

void MainWindow::restoreWindowState() {
    QSettings& s = m_studio.settings().store();
    const QByteArray geometry = s.value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray state = s.value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty()) restoreState(state);
    const QString panelKey = s.value(QStringLiteral("window/panel"), QStringLiteral("image")).toString();
    for (GenerationPanel* p : m_panels)
        if (modalityKey(p->modality()) == panelKey) m_tabs->setCurrentWidget(p);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowState();
    QMainWindow::closeEvent(event);
}

}  // namespace latent
