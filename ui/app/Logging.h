#pragma once
// The GUI's logging: spdlog's default logger writes to the console, to a
// rotating file in StudioPaths::logDir() and to the in-app log view.
#include <QString>

#include <spdlog/common.h>

#include <memory>

namespace latent {

class LogModel;
class QtLogSink;

// Installs the default logger; returns the Qt sink so the caller can detach
// it before `model` dies.
std::shared_ptr<QtLogSink> installGuiLogging(LogModel* model, spdlog::level::level_enum level);
void uninstallGuiLogging(const std::shared_ptr<QtLogSink>& sink);
void setGuiLogLevel(spdlog::level::level_enum level);

spdlog::level::level_enum logLevelFromName(const QString& name);  // "debug" … "error"
QString logLevelToName(spdlog::level::level_enum level);

}  // namespace latent
