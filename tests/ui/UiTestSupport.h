#pragma once
// Shared set-up of the GUI tests: an isolated studio home, fixture model
// packages and an engine configuration that never probes CUDA.
#include <QByteArray>
#include <QDir>
#include <QTemporaryDir>

#include <filesystem>
#include <string>

#include "FixturePackage.h"
#include "latent/EngineConfig.h"
#include "latent/JobState.h"
#include "latent/StudioPaths.h"

namespace latent::test {

// ctest points LATENT_STUDIO_HOME at <build>/tests/ui/home/<test>; started by
// hand without it, a temporary folder stands in, so the real home is never
// touched. The home is emptied first so every run starts from scratch.
inline std::filesystem::path prepareStudioHome() {
    static QTemporaryDir fallback;
    QByteArray home = qgetenv("LATENT_STUDIO_HOME");
    if (home.isEmpty()) {
        home = fallback.path().toUtf8();
        qputenv("LATENT_STUDIO_HOME", home);
    }
    QDir dir(QString::fromUtf8(home));
    // Only ever wipe a test home, never a folder someone pointed us at.
    if (dir.absolutePath().contains(QLatin1String("/tests/ui/home/")) || dir.absolutePath() == fallback.path())
        dir.removeRecursively();
    dir.mkpath(QStringLiteral("."));
    return std::filesystem::path(home.toStdString());
}

// A model root inside the test home, listed on LATENT_MODEL_PATH.
inline std::filesystem::path fixtureModelRoot() {
    const auto root = StudioPaths::dataDir() / "fixture-models";
    std::filesystem::create_directories(root);
    qputenv("LATENT_MODEL_PATH", QByteArray::fromStdString(root.string()));
    return root;
}

inline EngineConfig testEngineConfig() {
    EngineConfig config = StudioPaths::defaultEngineConfig();
    config.discoverCuda = false;
    config.threads = 1;
    // Bundled models need the real (torch) plugins; the tests use fixtures only.
    std::erase(config.modelDirs, StudioPaths::bundledModelDir());
    std::erase(config.pluginDirs, StudioPaths::bundledPluginDir());
    return config;
}

}  // namespace latent::test

namespace latent {
// Readable QCOMPARE failures for job states (found by argument-dependent lookup).
inline char* toString(JobState state) { return qstrdup(jobStateName(state)); }
}  // namespace latent
