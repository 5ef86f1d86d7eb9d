// LatentDirectionSet: a package's directions.safetensors, clear errors for
// files that do not fit, and the fallback directions of TorchScript imports.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

#include "LatentFixture.h"
#include "UiTestSupport.h"
#include "latent/media/LatentDirectionSet.h"

using namespace latent;

namespace {

ModelPackage packageIn(const QTemporaryDir& dir, const std::string& id) {
    ModelPackage p;
    p.dir = std::filesystem::path(dir.path().toStdString()) / id;
    std::filesystem::create_directories(p.dir);
    p.id = id;
    p.family = "image-vae";
    return p;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * double(b[i]);
    return s;
}

}  // namespace

class tst_LatentDirectionSet : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void loadsPrincipalAndNamedDirections() {
        QTemporaryDir dir;
        ModelPackage p = packageIn(dir, "vae");
        const auto d = test::exampleDirections();
        test::writeDirectionsFile(p.dir / "directions.safetensors", d, test::kLatentDim);
        p.latent = test::latentEntry(test::kLatentDim, d);

        const LatentDirectionSet set = LatentDirectionSet::load(p);
        QVERIFY2(set.error().empty(), set.error().c_str());
        QCOMPARE(set.dim(), test::kLatentDim);
        QCOMPARE(set.size(), std::size_t(5));
        QCOMPARE(set.source(), std::string("directions.safetensors"));
        QCOMPARE(set.mean(), d.mean);
        for (int i = 0; i < 4; ++i) {
            const LatentDirection& dir0 = set.direction(std::size_t(i));
            QCOMPARE(dir0.group, std::string("Principal"));
            QCOMPARE(dir0.name, "PC " + std::to_string(i + 1));
            QCOMPARE(dir0.vector, std::vector<float>(d.principal.begin() + i * test::kLatentDim,
                                                     d.principal.begin() + (i + 1) * test::kLatentDim));
        }
        // The explained variance is what the tooltip tells.
        QVERIFY2(set.direction(0).tooltip.find("40%") != std::string::npos, set.direction(0).tooltip.c_str());
        QVERIFY(set.direction(2).tooltip.find("10%") != std::string::npos);
        const LatentDirection& named = set.direction(4);
        QCOMPARE(named.group, std::string("Named"));
        QCOMPARE(named.name, std::string("dark \xe2\x86\x94 bright"));
        QCOMPARE(named.vector, d.named);
        QVERIFY(named.tooltip.find("\"dark\"") != std::string::npos);
        QVERIFY(named.tooltip.find("\"bright\"") != std::string::npos);
        QCOMPARE(set.indexOf("PC 3"), 2);
        QCOMPARE(set.indexOf("dark \xe2\x86\x94 bright"), 4);
        QCOMPARE(set.indexOf("nope"), -1);
    }

    void appliesSliderValues() {
        QTemporaryDir dir;
        ModelPackage p = packageIn(dir, "vae");
        const auto d = test::exampleDirections();
        test::writeDirectionsFile(p.dir / "directions.safetensors", d, test::kLatentDim);
        p.latent = test::latentEntry(test::kLatentDim, d);
        const LatentDirectionSet set = LatentDirectionSet::load(p);
        std::vector<float> base(test::kLatentDim);
        for (int i = 0; i < test::kLatentDim; ++i) base[std::size_t(i)] = 0.1f * float(i) - 0.3f;
        // latent = base + Σ value_i · direction_i
        const std::vector<double> values{1.0, -2.0, 0.0, 0.5, 1.5};
        const std::vector<float> out = set.apply(base, values);
        QCOMPARE(out.size(), base.size());
        for (int j = 0; j < test::kLatentDim; ++j) {
            double expected = base[std::size_t(j)];
            for (std::size_t i = 0; i < values.size(); ++i) expected += values[i] * set.direction(i).vector[std::size_t(j)];
            QVERIFY2(std::abs(out[std::size_t(j)] - expected) < 1e-6, qPrintable(QString::number(j)));
        }
        // All zero: the base itself; fewer values than directions: the rest are 0.
        QCOMPARE(set.apply(base, {}), base);
        QCOMPARE(set.apply(base, std::vector<double>(5, 0.0)), base);
        // A latent of another size is left alone rather than read out of bounds.
        const std::vector<float> wrong(3, 1.0f);
        QCOMPARE(set.apply(wrong, values), wrong);
    }

    void wrongShapesGiveAClearErrorAndFallback() {
        QTemporaryDir dir;
        ModelPackage p = packageIn(dir, "bad");
        auto d = test::exampleDirections(test::kLatentDim, 4);
        // "principal" written as [4, 6] while model.json says D = 8.
        d.principal.resize(4 * 6);
        {
            std::vector<TensorToWrite> tensors{{"principal", TensorDType::F32, {4, 6}, d.principal.data()}};
            writeSafetensors(p.dir / "directions.safetensors", tensors);
        }
        p.latent = test::latentEntry(test::kLatentDim, d);
        p.latent.erase("named");
        const LatentDirectionSet set = LatentDirectionSet::load(p);
        QVERIFY(!set.error().empty());
        const QString error = QString::fromStdString(set.error());
        QVERIFY2(error.contains(QStringLiteral("\"principal\" has shape [4, 6]")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("[K, 8]")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("directions.safetensors")), qPrintable(error));
        // Still editable: per-dimension and random directions of the right size.
        QCOMPARE(set.dim(), test::kLatentDim);
        QCOMPARE(set.directions().front().group, std::string("Dimensions"));
        for (const auto& dir1 : set.directions()) QCOMPARE(int(dir1.vector.size()), test::kLatentDim);
    }

    void countMismatchesAreErrors() {
        QTemporaryDir dir;
        ModelPackage p = packageIn(dir, "count");
        const auto d = test::exampleDirections();
        test::writeDirectionsFile(p.dir / "directions.safetensors", d, test::kLatentDim);
        p.latent = test::latentEntry(test::kLatentDim, d);
        p.latent["principal"] = 6;
        LatentDirectionSet set = LatentDirectionSet::load(p);
        QVERIFY2(QString::fromStdString(set.error()).contains(QStringLiteral("6 principal directions")), set.error().c_str());
        p.latent["principal"] = 4;
        p.latent["named"] = {"a \xe2\x86\x94 b", "c \xe2\x86\x94 d"};
        set = LatentDirectionSet::load(p);
        QVERIFY2(QString::fromStdString(set.error()).contains(QStringLiteral("names 2 directions")), set.error().c_str());
    }

    void missingOrCorruptFilesAreErrors() {
        QTemporaryDir dir;
        ModelPackage p = packageIn(dir, "missing");
        p.latent = test::latentEntry(test::kLatentDim, test::exampleDirections());
        LatentDirectionSet set = LatentDirectionSet::load(p);
        QVERIFY(!set.error().empty());
        QVERIFY2(QString::fromStdString(set.error()).contains(QStringLiteral("directions.safetensors")), set.error().c_str());
        QVERIFY(!set.isEmpty());  // fallback

        {
            std::ofstream out(p.dir / "directions.safetensors", std::ios::binary);
            out << "this is not a safetensors file at all";
        }
        set = LatentDirectionSet::load(p);
        QVERIFY(!set.error().empty());
        QCOMPARE(set.dim(), test::kLatentDim);

        // A path that leaves the package is refused.
        p.latent["directions"] = "../elsewhere.safetensors";
        set = LatentDirectionSet::load(p);
        QVERIFY2(QString::fromStdString(set.error()).contains(QStringLiteral("inside the model folder")), set.error().c_str());
    }

    void torchScriptImportsGetOrthonormalFallbackDirections() {
        QTemporaryDir dir;
        ModelPackage p = packageIn(dir, "ts");
        p.family = "image-torchscript";
        p.config = {{"latent_dim", 64}};
        const LatentDirectionSet set = LatentDirectionSet::load(p);
        QVERIFY(set.error().empty());  // no directions file is not an error
        QCOMPARE(set.dim(), 64);
        QCOMPARE(LatentDirectionSet::latentDim(p), 64);
        QCOMPARE(set.size(), std::size_t(LatentDirectionSet::kFallbackDimensions + LatentDirectionSet::kFallbackRandom));
        QCOMPARE(set.direction(0).name, std::string("z[0]"));
        QCOMPARE(set.direction(15).name, std::string("z[15]"));
        QCOMPARE(set.direction(16).name, std::string("random 1"));
        QCOMPARE(set.direction(23).name, std::string("random 8"));
        QCOMPARE(set.direction(3).vector[3], 1.0f);
        QCOMPARE(dot(set.direction(3).vector, set.direction(3).vector), 1.0);
        // The random ones are orthonormal.
        for (std::size_t i = 16; i < 24; ++i)
            for (std::size_t j = 16; j < 24; ++j) {
                const double expected = i == j ? 1.0 : 0.0;
                QVERIFY2(std::abs(dot(set.direction(i).vector, set.direction(j).vector) - expected) < 1e-5,
                         qPrintable(QStringLiteral("%1 · %2").arg(i).arg(j)));
            }
        // ... and fixed: the same every time.
        const LatentDirectionSet again = LatentDirectionSet::fallback(64);
        for (std::size_t i = 16; i < 24; ++i) QCOMPARE(again.direction(i).vector, set.direction(i).vector);
        for (const auto& d : set.directions()) {
            QVERIFY(d.group == "Dimensions" || d.group == "Random");
            QVERIFY(!d.tooltip.empty());
        }
    }

    void smallLatentsGetFewerDirections() {
        const LatentDirectionSet set = LatentDirectionSet::fallback(3);
        QCOMPARE(set.size(), std::size_t(6));  // 3 axes + 3 random (a 3-D space holds no more)
        for (std::size_t i = 3; i < 6; ++i)
            for (std::size_t j = 3; j < 6; ++j)
                QVERIFY(std::abs(dot(set.direction(i).vector, set.direction(j).vector) - (i == j ? 1.0 : 0.0)) < 1e-5);
    }

    void modelsWithoutLatentsHaveNoDirections() {
        ModelPackage p;
        p.id = "plain";
        const LatentDirectionSet set = LatentDirectionSet::load(p);
        QVERIFY(set.isEmpty());
        QCOMPARE(set.dim(), 0);
        QVERIFY(set.error().empty());
        // A latent entry without a usable dim is worth a message.
        p.latent = {{"space", "z"}};
        QVERIFY(!LatentDirectionSet::load(p).error().empty());
    }
};

QTEST_GUILESS_MAIN(tst_LatentDirectionSet)
#include "tst_LatentDirectionSet.moc"
