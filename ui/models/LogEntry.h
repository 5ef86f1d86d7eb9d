#pragma once
#include <QDateTime>
#include <QString>

namespace latent {

// One log line as the in-app log view shows it. `level` is an
// spdlog::level::level_enum value (trace = 0 … critical = 5).
struct LogEntry {
    QDateTime time;
    int level = 2;
    QString source;  // logger name
    QString message;
};

}  // namespace latent
