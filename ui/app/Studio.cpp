#include "app/Studio.h"

#include <QElapsedTimer>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/ModelRegistry.h"
#include "latent/PluginHost.h"
#include "latent/StudioPaths.h"
#include "latent/qt/EngineBridge.h"
#include "models/JobListModel.h"
#include "models/ModelListModel.h"
#include "models/PluginListModel.h"

namespace latent {

Studio::Studio(QObject* parent)
    : QObject(parent),
      m_jobs(new JobListModel(this)),
      m_models(new ModelListModel(this)),
      m_plugins(new PluginListModel(this)) {
    registerEngineMetaTypes();
}

Studio::~Studio() {
    // Helper threads may be scanning the engine's registry: finish them first.
    m_tasks.waitAll();
    shutdown();
    m_bridge.reset();  // detaches the sink; the engine drops later events
    m_engine.reset();
}

void Studio::startEngine(EngineConfig config, bool async) {
    if (m_engine || m_starting) return;
    m_starting = true;
    if (!async) {
        try {
            adopt(std::make_unique<Engine>(std::move(config)));
        } catch (const std::exception& e) {
            m_starting = false;
            m_startError = QString::fromUtf8(e.what());
            spdlog::error("The engine failed to start: {}", e.what());
            Q_EMIT engineFailed(m_startError);
        }
        return;
    }
    // Discovery scans plugin and model folders (and may probe CUDA): keep it
    // off the GUI thread so the window shows at once.
    auto slot = std::make_shared<std::unique_ptr<Engine>>();
    m_tasks.run(
        [slot, config = std::move(config)]() mutable {
            QElapsedTimer clock;
            clock.start();
            *slot = std::make_unique<Engine>(std::move(config));
            // Load plugin code here too, so the first model pick on the GUI
            // thread never waits on dlopen.
            (*slot)->plugins().loadAll();
            spdlog::info("Engine started in {} ms", clock.elapsed());
        },
        [this, slot](const QString& error) {
            if (!error.isEmpty() || !*slot) {
                m_starting = false;
                m_startError = error.isEmpty() ? tr("unknown error") : error;
                spdlog::error("The engine failed to start: {}", m_startError.toStdString());
                Q_EMIT engineFailed(m_startError);
                return;
            }
            adopt(std::move(*slot));
        });
}

void Studio::adopt(std::unique_ptr<Engine> engine) {
    m_engine = std::move(engine);
    m_bridge = std::make_unique<EngineBridge>(*m_engine);
    m_jobs->attach(m_bridge.get());
    // The engine itself logs job failures and job log lines (spdlog).
    m_starting = false;
    applyEngineSettings();
    refreshModels();
    Q_EMIT engineStarted();
}

void Studio::applyEngineSettings() {
    if (!m_engine) return;
    if (auto t = m_settings.threads()) m_engine->setThreads(*t);
    if (auto mb = m_settings.ramBudgetMb()) m_engine->setRamBudget(std::size_t(*mb) << 20);
    const QString device = m_settings.device();
    if (!device.isEmpty()) {
        try {
            m_engine->setDefaultDevice(device.toStdString());
        } catch (const std::exception& e) {
            const QString msg = tr("Device %1 is not available (%2); using %3.")
                                    .arg(device, QString::fromUtf8(e.what()), deviceId());
            spdlog::warn("{}", msg.toStdString());
            Q_EMIT problem(msg);
        }
    }
    Q_EMIT engineSettingsApplied();
}

QString Studio::deviceId() const {
    return m_engine ? QString::fromStdString(m_engine->config().defaultDevice) : QString();
}

int Studio::threadCount() const { return m_engine ? m_engine->threads() : 0; }

void Studio::refreshModels() {
    if (!m_engine) return;
    m_models->setEntries(m_engine->models().entries());
    m_plugins->setPlugins(m_engine->plugins().plugins());
    Q_EMIT modelsRefreshed();
}

void Studio::rescanModels() {
    if (!m_engine) return;
    ++m_rescans;
    Q_EMIT rescanStarted();
    Engine* engine = m_engine.get();
    m_tasks.run(
        [engine] {
            engine->plugins().discover();
            engine->models().rescan();
        },
        [this](const QString& error) {
            --m_rescans;
            if (!error.isEmpty()) {
                spdlog::error("Rescan failed: {}", error.toStdString());
                Q_EMIT problem(tr("Rescan failed: %1").arg(error));
            }
            refreshModels();
        });
}

QStringList Studio::userModelFolders() const {
    QStringList out;
    for (const auto& p : StudioPaths::userModelFolders()) out << QString::fromStdString(p.string());
    return out;
}

void Studio::addModelFolder(const QString& dir) {
    if (dir.isEmpty()) return;
    const std::filesystem::path path = dir.toStdString();
    auto folders = StudioPaths::userModelFolders();
    if (std::find(folders.begin(), folders.end(), path) == folders.end()) {
        folders.push_back(path);
        try {
            StudioPaths::setUserModelFolders(folders);
        } catch (const std::exception& e) {
            spdlog::error("Cannot save the model folder list: {}", e.what());
            Q_EMIT problem(tr("Cannot save the model folder list: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    spdlog::info("Adding model folder {}", path.string());
    if (!m_engine) return;
    ++m_rescans;
    Q_EMIT rescanStarted();
    Engine* engine = m_engine.get();
    m_tasks.run([engine, path] { engine->models().addRoot(path); },
                [this](const QString& error) {
                    --m_rescans;
                    if (!error.isEmpty()) {
                        spdlog::error("Cannot scan the model folder: {}", error.toStdString());
                        Q_EMIT problem(tr("Cannot scan the model folder: %1").arg(error));
                    }
                    refreshModels();
                });
}

bool Studio::removeModelFolder(const QString& dir) {
    const std::filesystem::path path = dir.toStdString();
    auto folders = StudioPaths::userModelFolders();
    const auto before = folders.size();
    std::erase(folders, path);
    if (folders.size() == before) return false;
    try {
        StudioPaths::setUserModelFolders(folders);
    } catch (const std::exception& e) {
        spdlog::error("Cannot save the model folder list: {}", e.what());
        Q_EMIT problem(tr("Cannot save the model folder list: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    spdlog::info("Removed model folder {}", path.string());
    if (m_engine) {
        ++m_rescans;
        Q_EMIT rescanStarted();
        Engine* engine = m_engine.get();
        m_tasks.run([engine, path] { engine->models().removeRoot(path); },
                    [this](const QString& error) {
                        --m_rescans;
                        if (!error.isEmpty()) spdlog::error("Cannot rescan models: {}", error.toStdString());
                        refreshModels();
                    });
    }
    return true;
}

int Studio::restoreQueue() {
    if (!m_engine || !m_bridge) return 0;
    try {
        m_restoredJobs = int(m_engine->restoreQueue());
    } catch (const std::exception& e) {
        spdlog::error("The last session's queue could not be restored: {}", e.what());
        Q_EMIT problem(tr("The last session's queue could not be restored: %1").arg(QString::fromUtf8(e.what())));
        return 0;
    }
    // The engine paused itself without the bridge: the views catch up here.
    m_jobs->syncQueue();
    if (m_restoredJobs > 0) Q_EMIT queueRestored(m_restoredJobs);
    return m_restoredJobs;
}

void Studio::shutdown(std::chrono::milliseconds grace) {
    if (m_shutDown || !m_engine) return;
    m_shutDown = true;
    QElapsedTimer clock;
    clock.start();
    m_engine->shutdown(grace);
    spdlog::info("Engine shut down in {} ms", clock.elapsed());
}

}  // namespace latent
