#include "audio/MediaBackend.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QStringList>

namespace latent {

namespace {
constexpr const char* kVariable = "QT_MEDIA_BACKEND";

QStringList pluginFolders() {
    // Before a QCoreApplication exists, libraryPaths() still reports
    // QT_PLUGIN_PATH and Qt's own plugin folder.
    QStringList folders = QCoreApplication::libraryPaths();
    const QString builtIn = QLibraryInfo::path(QLibraryInfo::PluginsPath);
    if (!folders.contains(builtIn)) folders.append(builtIn);
    return folders;
}
}  // namespace

bool mediaBackendInstalled(const QString& backend) {
    const QStringList pattern{QStringLiteral("*%1mediaplugin*").arg(backend)};
    for (const QString& folder : pluginFolders()) {
        const QDir dir(folder + QStringLiteral("/multimedia"));
        if (!dir.entryList(pattern, QDir::Files).isEmpty()) return true;
    }
    return false;
}

void chooseMediaBackend() {
    if (qEnvironmentVariableIsSet(kVariable)) return;
    if (mediaBackendInstalled(QStringLiteral("ffmpeg"))) qputenv(kVariable, QByteArrayLiteral("ffmpeg"));
}

QString mediaBackendName() { return qEnvironmentVariable(kVariable); }

}  // namespace latent
