#include "app/Logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>
#include <vector>

#include "app/QtLogSink.h"
#include "latent/StudioPaths.h"

namespace latent {

spdlog::level::level_enum logLevelFromName(const QString& name) {
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("trace")) return spdlog::level::trace;
    if (n == QLatin1String("debug")) return spdlog::level::debug;
    if (n == QLatin1String("warning") || n == QLatin1String("warn")) return spdlog::level::warn;
    if (n == QLatin1String("error")) return spdlog::level::err;
    return spdlog::level::info;
}

QString logLevelToName(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace: return QStringLiteral("trace");
        case spdlog::level::debug: return QStringLiteral("debug");
        case spdlog::level::warn: return QStringLiteral("warning");
        case spdlog::level::err:
        case spdlog::level::critical: return QStringLiteral("error");
        default: return QStringLiteral("info");
    }
}

std::shared_ptr<QtLogSink> installGuiLogging(LogModel* model, spdlog::level::level_enum level) {
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    std::string fileProblem;
    try {
        const auto dir = StudioPaths::logDir();
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        // 5 MB per file, three old files kept.
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            (dir / "latent-studio.log").string(), std::size_t(5) << 20, 3));
    } catch (const std::exception& e) {
        fileProblem = e.what();
    }
    auto qtSink = std::make_shared<QtLogSink>(model);
    sinks.push_back(qtSink);

    auto logger = std::make_shared<spdlog::logger>("latent", sinks.begin(), sinks.end());
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] %v");
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    if (!fileProblem.empty()) spdlog::warn("Logging to the console only: cannot open the log file ({})", fileProblem);
    return qtSink;
}

void uninstallGuiLogging(const std::shared_ptr<QtLogSink>& sink) {
    if (sink) sink->detach();
    spdlog::default_logger()->flush();
}

void setGuiLogLevel(spdlog::level::level_enum level) { spdlog::default_logger()->set_level(level); }

}  // namespace latent
