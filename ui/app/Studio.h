#pragma once
// The GUI's handle on the engine: owns the Engine, its EngineBridge, the
// settings and the item models that every window shares. Lives on the GUI
// thread; slow engine chores (start-up discovery, rescans) run on helper
// threads and report back through queued calls.
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

#include "app/AppSettings.h"
#include "app/BackgroundTasks.h"
#include "latent/EngineConfig.h"

namespace latent {

class Engine;
class EngineBridge;
class JobListModel;
class ModelListModel;
class PluginListModel;

class Studio : public QObject {
    Q_OBJECT
public:
    explicit Studio(QObject* parent = nullptr);
    // Waits for helper threads, shuts the engine down, then destroys it.
    ~Studio() override;

    // Builds the engine from `config`. With `async`, discovery runs on a
    // helper thread so the window can show at once; engineStarted() (or
    // engineFailed()) follows on the GUI thread either way.
    void startEngine(EngineConfig config, bool async);
    bool isReady() const { return m_engine != nullptr && m_bridge != nullptr; }
    bool isStarting() const { return m_starting; }
    QString startError() const { return m_startError; }

    Engine* engine() const { return m_engine.get(); }
    // Chores off the GUI thread (imports, hashing) that end before the engine does.
    BackgroundTasks& tasks() { return m_tasks; }
    EngineBridge* bridge() const { return m_bridge.get(); }
    AppSettings& settings() { return m_settings; }
    JobListModel* jobs() const { return m_jobs; }
    ModelListModel* models() const { return m_models; }
    PluginListModel* plugins() const { return m_plugins; }

    // Threads, device and RAM budget from settings() onto the running engine.
    void applyEngineSettings();
    QString deviceId() const;   // the default device in use
    int threadCount() const;    // effective intra-op threads, 0 before start

    // Rescans every model root on a helper thread, then refreshes models().
    void rescanModels();
    bool isRescanning() const { return m_rescans > 0; }
    // Persists the folder (StudioPaths::setUserModelFolders) and scans it.
    void addModelFolder(const QString& dir);
    // Persists the removal and rescans without the folder; returns false
    // when the folder was not a user folder.
    bool removeModelFolder(const QString& dir);
    QStringList userModelFolders() const;

    // Resubmits the jobs the last session left queued (EngineConfig::queueFile),
    // the queue paused when any came back; queueRestored() says how many.
    int restoreQueue();
    int restoredJobs() const { return m_restoredJobs; }

    // Cancels every job and joins the workers within `grace`; idempotent.
    void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(900));
    bool isShutDown() const { return m_shutDown; }

Q_SIGNALS:
    void engineStarted();
    void engineFailed(const QString& message);
    void modelsRefreshed();
    void rescanStarted();
    void engineSettingsApplied();
    // Something the user should know that is not a job's error.
    void problem(const QString& message);
    // restoreQueue() brought `jobs` back (> 0); the queue waits for Resume.
    void queueRestored(int jobs);

private:
    void adopt(std::unique_ptr<Engine> engine);
    void refreshModels();

    AppSettings m_settings;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<EngineBridge> m_bridge;
    JobListModel* m_jobs;
    ModelListModel* m_models;
    PluginListModel* m_plugins;
    BackgroundTasks m_tasks;  // after m_engine: its threads are joined first
    bool m_starting = false;
    bool m_shutDown = false;
    int m_rescans = 0;
    int m_restoredJobs = 0;
    QString m_startError;
};

}  // namespace latent
