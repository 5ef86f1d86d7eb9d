#pragma once
// The studio window: one tab per modality (Text, Image, Audio, Video), the
// queue, log and library docks, the status bar, menus and window-level
// actions that route to the current panel.
#include <QMainWindow>
#include <QPointer>

#include <vector>

#include "panels/Modality.h"

class QAction;
class QTabWidget;

namespace latent {

class GenerationPanel;
class LatentSlidersDock;
class LibraryDock;
class LogDock;
class LogModel;
class ModelManagerDialog;
class QueueDock;
class SettingsDialog;
class Studio;
class StudioStatusBar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `log` may be null (no log dock), e.g. in tests.
    MainWindow(Studio& studio, LogModel* log, QWidget* parent = nullptr);
    ~MainWindow() override;

    QTabWidget* tabs() const { return m_tabs; }
    GenerationPanel* panel(Modality modality) const;
    GenerationPanel* currentPanel() const;
    const std::vector<GenerationPanel*>& panels() const { return m_panels; }
    QueueDock* queueDock() const { return m_queueDock; }
    LogDock* logDock() const { return m_logDock; }
    LatentSlidersDock* latentSlidersDock() const { return m_slidersDock; }
    LibraryDock* libraryDock() const { return m_libraryDock; }
    StudioStatusBar* studioStatusBar() const { return m_statusBar; }
    QAction* generateAction() const { return m_generate; }
    QAction* stopAction() const { return m_stop; }

    void saveWindowState();
    void restoreWindowState();

public Q_SLOTS:
    void openModelManager();
    void openSettings();
    void importTorchScript();
    // Imports a Hugging Face model folder (config.json, safetensors, tokenizer).
    void openModelFolder();
    void showAbout();
    // The library's "Use settings": result `id` back into its panel (for an
    // image, its files open there, latents included). False, with the reason
    // shown in the library, when that cannot be done.
    bool useResultSettings(qint64 id);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void updateActions();

    Studio& m_studio;
    QTabWidget* m_tabs;
    std::vector<GenerationPanel*> m_panels;
    QueueDock* m_queueDock;
    LogDock* m_logDock = nullptr;
    LatentSlidersDock* m_slidersDock = nullptr;
    LibraryDock* m_libraryDock = nullptr;
    StudioStatusBar* m_statusBar;
    QAction* m_generate = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_save = nullptr;
    QPointer<ModelManagerDialog> m_modelManager;
    QPointer<SettingsDialog> m_settings;
};

}  // namespace latent
