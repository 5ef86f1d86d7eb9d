// The Model Manager lists valid and invalid packages (errors in red) and the
// plugins, rescans, adds folders and imports a TorchScript generator.
#include <QBrush>
#include <QColor>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "UiTestSupport.h"
#include "app/Studio.h"
#include "dialogs/ImportTorchScriptDialog.h"
#include "dialogs/ModelManagerDialog.h"
#include "latent/ModelPackage.h"
#include "models/ModelListModel.h"
#include "models/PluginListModel.h"

using namespace latent;

namespace {
int rowOfModel(const ModelListModel& m, const QString& id) {
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, 0).data(ModelListModel::ModelIdRole).toString() == id) return r;
    return -1;
}
int rowOfInvalid(const ModelListModel& m) {
    for (int r = 0; r < m.rowCount(); ++r)
        if (!m.index(r, 0).data(ModelListModel::ValidRole).toBool()) return r;
    return -1;
}
}  // namespace

class tst_ModelManagerDialog : public QObject {
    Q_OBJECT
private:
    std::filesystem::path m_root;

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        m_root = test::fixtureModelRoot();
        test::writeFixtureImagePackage(m_root, "fixture-one");
        // A package whose model.json does not parse.
        std::filesystem::create_directories(m_root / "mangled");
        std::ofstream(m_root / "mangled" / "model.json") << "{ this is not json";
    }

    void listsModelsAndPluginsWithErrors() {
        Studio studio;
        studio.startEngine(test::testEngineConfig(), false);
        QVERIFY(studio.isReady());
        ModelManagerDialog dialog(studio);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const ModelListModel& models = *studio.models();
        QCOMPARE(dialog.modelsView()->model(), static_cast<QAbstractItemModel*>(studio.models()));
        const int good = rowOfModel(models, QStringLiteral("fixture-one"));
        QVERIFY(good >= 0);
        QCOMPARE(models.index(good, ModelListModel::StatusColumn).data().toString(), QStringLiteral("OK"));
        QCOMPARE(models.index(good, ModelListModel::FamilyColumn).data().toString(), QStringLiteral("fixture-image"));
        const int bad = rowOfInvalid(models);
        QVERIFY(bad >= 0);
        const QString error = models.index(bad, ModelListModel::StatusColumn).data().toString();
        QVERIFY(!error.isEmpty() && error != QLatin1String("OK"));
        const QColor colour = models.index(bad, ModelListModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(colour.red() > 200 && colour.green() < 120);

        const PluginListModel& plugins = *studio.plugins();
        bool fixture = false;
        for (int r = 0; r < plugins.rowCount(); ++r)
            fixture = fixture || plugins.index(r, PluginListModel::IdColumn).data().toString() == QLatin1String("fixture-image");
        QVERIFY(fixture);
    }

    void rescanAndAddFolderPickUpNewPackages() {
        Studio studio;
        studio.startEngine(test::testEngineConfig(), false);
        ModelManagerDialog dialog(studio);
        dialog.show();
        QVERIFY(rowOfModel(*studio.models(), QStringLiteral("fixture-two")) < 0);
        test::writeFixtureImagePackage(m_root, "fixture-two");
        QSignalSpy refreshed(&studio, &Studio::modelsRefreshed);
        dialog.findChild<QPushButton*>(QStringLiteral("rescanButton"))->click();
        QTRY_VERIFY(refreshed.count() >= 1);
        QVERIFY(rowOfModel(*studio.models(), QStringLiteral("fixture-two")) >= 0);

        // A new folder is persisted for next time and scanned now.
        QTemporaryDir extra;
        test::writeFixtureImagePackage(extra.path().toStdString(), "fixture-extra");
        refreshed.clear();
        studio.addModelFolder(extra.path());
        QTRY_VERIFY(refreshed.count() >= 1);
        QVERIFY(rowOfModel(*studio.models(), QStringLiteral("fixture-extra")) >= 0);
        QVERIFY(studio.userModelFolders().contains(extra.path()));
        QVERIFY(studio.removeModelFolder(extra.path()));
        QVERIFY(!studio.userModelFolders().contains(extra.path()));
        QVERIFY(!studio.removeModelFolder(extra.path()));
    }

    void importsTorchScriptIntoUserModels() {
        Studio studio;
        studio.startEngine(test::testEngineConfig(), false);
        QTemporaryDir src;
        // A TorchScript archive is a zip file; the importer checks the magic.
        const QString pt = src.filePath(QStringLiteral("tiny-gan.pt"));
        {
            QFile f(pt);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("PK\x03\x04", 4) + QByteArray(1000, 'z'));
        }
        const QString dest = QString::fromStdString(StudioPaths::userModelDir().string());
        ImportTorchScriptDialog dialog(dest);
        dialog.show();
        dialog.setSourceFile(pt);
        QCOMPARE(dialog.findChild<QLineEdit*>(QStringLiteral("modelName"))->text(), QStringLiteral("tiny-gan"));
        dialog.findChild<QSpinBox*>(QStringLiteral("latentDim"))->setValue(64);
        dialog.findChild<QSpinBox*>(QStringLiteral("numClasses"))->setValue(10);
        QSignalSpy imported(&dialog, &ImportTorchScriptDialog::imported);
        dialog.startImport();
        QTRY_COMPARE(imported.count(), 1);
        const QString id = imported.at(0).at(0).toString();
        QCOMPARE(id, QStringLiteral("tiny-gan"));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const ModelPackage p = readModelManifest(StudioPaths::userModelDir() / id.toStdString() / "model.json");
        QCOMPARE(p.family, std::string("image-torchscript"));
        QCOMPARE(p.config.at("latent_dim").get<int>(), 64);
        QCOMPARE(p.config.at("num_classes").get<int>(), 10);
        QCOMPARE(p.files.size(), std::size_t(1));
        QCOMPARE(p.files[0].bytes, std::uint64_t(1004));

        // The registry sees it after a rescan.
        QSignalSpy refreshed(&studio, &Studio::modelsRefreshed);
        studio.rescanModels();
        QTRY_VERIFY(refreshed.count() >= 1);
        QVERIFY(rowOfModel(*studio.models(), id) >= 0);

        // A file that is not TorchScript is refused with a visible reason.
        const QString junk = src.filePath(QStringLiteral("junk.pt"));
        {
            QFile f(junk);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not a zip");
        }
        ImportTorchScriptDialog second(dest);
        second.show();
        second.setSourceFile(junk);
        QSignalSpy secondImported(&second, &ImportTorchScriptDialog::imported);
        second.startImport();
        QTRY_VERIFY(!second.isBusy());
        QCOMPARE(secondImported.count(), 0);
        QVERIFY(second.isVisible());
    }
};

QTEST_MAIN(tst_ModelManagerDialog)
#include "tst_ModelManagerDialog.moc"
