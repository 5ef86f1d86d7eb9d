// Settings apply live to the engine and persist.
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "UiTestSupport.h"
#include "app/Studio.h"
#include "dialogs/SettingsDialog.h"
#include "latent/Engine.h"
#include "latent/ModelCache.h"

using namespace latent;

class tst_SettingsDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void appliesLiveAndPersists() {
        {
            Studio studio;
            studio.startEngine(test::testEngineConfig(), false);
            QVERIFY(studio.isReady());
            SettingsDialog dialog(studio);
            auto* device = dialog.findChild<QComboBox*>(QStringLiteral("device"));
            QVERIFY(device && device->findData(QStringLiteral("cpu")) >= 0);
            dialog.findChild<QSpinBox*>(QStringLiteral("threads"))->setValue(3);
            dialog.findChild<QSpinBox*>(QStringLiteral("ramBudget"))->setValue(1024);
            auto* level = dialog.findChild<QComboBox*>(QStringLiteral("logLevel"));
            level->setCurrentIndex(level->findData(QStringLiteral("warning")));
            auto* theme = dialog.findChild<QComboBox*>(QStringLiteral("theme"));
            theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
            dialog.accept();
            QCOMPARE(studio.engine()->threads(), 3);
            QCOMPARE(studio.engine()->cache().budget(), std::size_t(1024) << 20);
            QCOMPARE(studio.threadCount(), 3);
            QCOMPARE(studio.deviceId(), QStringLiteral("cpu"));
        }
        // A new session reads them back and applies them to its engine.
        Studio again;
        QCOMPARE(again.settings().threads().value_or(-1), 3);
        QCOMPARE(again.settings().ramBudgetMb().value_or(-1), qint64(1024));
        QCOMPARE(again.settings().logLevel(), QStringLiteral("warning"));
        QCOMPARE(again.settings().theme(), Theme::Light);
        EngineConfig config = test::testEngineConfig();
        again.settings().applyTo(config);
        QCOMPARE(config.threads, 3);
        again.startEngine(config, true);  // the app's way: off the GUI thread
        QSignalSpy started(&again, &Studio::engineStarted);
        QTRY_COMPARE(started.count(), 1);
        QCOMPARE(again.engine()->threads(), 3);
    }

    void storageIsSavedForTheCliToo() {
        Studio studio;
        studio.startEngine(test::testEngineConfig(), false);
        QVERIFY(studio.isReady());
        QVERIFY(studio.engine()->results());
        {
            SettingsDialog dialog(studio);
            auto* folder = dialog.findChild<QLineEdit*>(QStringLiteral("resultsFolder"));
            auto* cap = dialog.findChild<QSpinBox*>(QStringLiteral("resultsCap"));
            auto* note = dialog.findChild<QLabel*>(QStringLiteral("storageNote"));
            QVERIFY(folder && cap && note);
            QCOMPARE(folder->text(), QString::fromStdString(StudioPaths::defaultResultsDir().string()));
            QCOMPARE(cap->value(), 0);
            QVERIFY(note->text().contains(QStringLiteral("In use")));
            QVERIFY(!note->text().contains(QStringLiteral("restart")));
            // The cap applies at once; a new folder from the next start, as the note says.
            cap->setValue(512);
            dialog.apply();
            QCOMPARE(StudioPaths::resultsStorage().capBytes, std::uint64_t(512) << 20);
            QTemporaryDir elsewhere;
            folder->setText(elsewhere.path());
            QVERIFY(note->text().contains(QStringLiteral("after a restart")));
            dialog.accept();
            QCOMPARE(StudioPaths::resultsStorage().folder, std::filesystem::path(elsewhere.path().toStdString()));
            QCOMPARE(StudioPaths::defaultEngineConfig().resultsCapBytes, std::uint64_t(512) << 20);
        }
        // Back to the defaults for the other tests.
        StudioPaths::setResultsStorage({});
        QCOMPARE(StudioPaths::resultsStorage().folder, StudioPaths::defaultResultsDir());
        QCOMPARE(StudioPaths::resultsStorage().capBytes, std::uint64_t(0));
    }

    void unknownDeviceIsReportedNotFatal() {
        Studio studio;
        studio.settings().setDevice(QStringLiteral("cuda:7"));
        QSignalSpy problems(&studio, &Studio::problem);
        studio.startEngine(test::testEngineConfig(), false);
        QVERIFY(studio.isReady());
        QCOMPARE(problems.count(), 1);
        QVERIFY(problems.at(0).at(0).toString().contains(QStringLiteral("cuda:7")));
        QCOMPARE(studio.deviceId(), QStringLiteral("cpu"));
        studio.settings().setDevice(QString());
    }
};

QTEST_MAIN(tst_SettingsDialog)
#include "tst_SettingsDialog.moc"
