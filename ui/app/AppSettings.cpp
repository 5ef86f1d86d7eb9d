#include "app/AppSettings.h"

#include "latent/EngineConfig.h"
#include "latent/StudioPaths.h"

namespace latent {

namespace {
QString defaultSettingsFile() {
    const auto path = StudioPaths::dataDir() / "settings.ini";
    return QString::fromStdString(path.string());
}
const QString kThreads = QStringLiteral("engine/threads");
const QString kDevice = QStringLiteral("engine/device");
const QString kRamBudget = QStringLiteral("engine/ramBudgetMb");
const QString kTheme = QStringLiteral("ui/theme");
const QString kLogLevel = QStringLiteral("ui/logLevel");
}  // namespace

AppSettings::AppSettings() : AppSettings(defaultSettingsFile()) {}

AppSettings::AppSettings(const QString& fileName) : m_store(fileName, QSettings::IniFormat) {}

std::optional<int> AppSettings::threads() const {
    bool ok = false;
    const int v = m_store.value(kThreads).toInt(&ok);
    if (!m_store.contains(kThreads) || !ok || v < 0) return std::nullopt;
    return v;
}

void AppSettings::setThreads(int threads) { m_store.setValue(kThreads, threads); }

QString AppSettings::device() const { return m_store.value(kDevice).toString(); }

void AppSettings::setDevice(const QString& device) { m_store.setValue(kDevice, device); }

std::optional<qint64> AppSettings::ramBudgetMb() const {
    bool ok = false;
    const qint64 v = m_store.value(kRamBudget).toLongLong(&ok);
    if (!m_store.contains(kRamBudget) || !ok || v <= 0) return std::nullopt;
    return v;
}

void AppSettings::setRamBudgetMb(qint64 megabytes) { m_store.setValue(kRamBudget, megabytes); }

Theme AppSettings::theme() const { return themeFromName(m_store.value(kTheme, QStringLiteral("dark")).toString()); }

void AppSettings::setTheme(Theme theme) { m_store.setValue(kTheme, themeName(theme)); }

QString AppSettings::logLevel() const { return m_store.value(kLogLevel, QStringLiteral("info")).toString(); }

void AppSettings::setLogLevel(const QString& level) { m_store.setValue(kLogLevel, level); }

void AppSettings::applyTo(EngineConfig& config) const {
    if (auto t = threads()) config.threads = *t;
    if (auto mb = ramBudgetMb()) config.ramBudgetBytes = std::size_t(*mb) << 20;
}

}  // namespace latent
