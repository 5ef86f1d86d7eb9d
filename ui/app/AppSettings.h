#pragma once
// Typed access to the studio's settings. The file lives in the studio data dir
// (StudioPaths::dataDir()/settings.ini) rather than ~/.config, so
// LATENT_STUDIO_HOME isolates a test or a portable install completely.
#include <QSettings>
#include <QString>

#include <optional>

#include "app/Theme.h"

namespace latent {

struct EngineConfig;

class AppSettings {
public:
    AppSettings();
    explicit AppSettings(const QString& fileName);
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    // Raw access for window and panel state.
    QSettings& store() { return m_store; }
    QString fileName() const { return m_store.fileName(); }
    void sync() { m_store.sync(); }

    // Empty when never set: the engine config's default applies.
    std::optional<int> threads() const;
    void setThreads(int threads);
    QString device() const;  // "" = the engine's default
    void setDevice(const QString& device);
    std::optional<qint64> ramBudgetMb() const;
    void setRamBudgetMb(qint64 megabytes);
    Theme theme() const;
    void setTheme(Theme theme);
    QString logLevel() const;  // "debug", "info", "warning", "error"
    void setLogLevel(const QString& level);

    // Overrides the config's threads and RAM budget where the user set them.
    void applyTo(EngineConfig& config) const;

private:
    mutable QSettings m_store;
};

}  // namespace latent
