// LatentSliders on its own: rows per direction, live values while dragging,
// one commit per drag, keyboard steps, locks, Reset and Randomise.
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

#include "UiTestSupport.h"
#include "latent/media/LatentDirectionSet.h"
#include "panels/image/LatentSliders.h"

using namespace latent;

class tst_LatentSliders : public QObject {
    Q_OBJECT

private:
    static std::vector<double> toVector(const QVariant& v) {
        const auto list = v.value<QList<double>>();
        return {list.begin(), list.end()};
    }

private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void rowsFollowTheDirections() {
        LatentSliders s;
        QCOMPARE(s.count(), 0);
        s.setDirections(LatentDirectionSet::fallback(10));
        QCOMPARE(s.count(), 10 + 8);
        QCOMPARE(s.directionName(0), QStringLiteral("z[0]"));
        QCOMPARE(s.directionName(10), QStringLiteral("random 1"));
        QCOMPARE(s.slider(0)->minimum(), -300);
        QCOMPARE(s.slider(0)->maximum(), 300);
        // Nothing selected: the rows wait for an image.
        QVERIFY(!s.isEditable());
        QVERIFY(!s.slider(0)->isEnabled());
        QVERIFY(!s.resetButton()->isEnabled());
        s.setImageInfo(QStringLiteral("Image · seed 7"), QStringLiteral("3.21 bits/dim"));
        QVERIFY(s.isEditable());
        QVERIFY(s.slider(0)->isEnabled());
        auto* details = s.findChild<QLabel*>(QStringLiteral("slidersDetails"));
        QCOMPARE(details->text(), QStringLiteral("3.21 bits/dim"));
        s.setMessage(QStringLiteral("Cannot use the latent directions"));
        QCOMPARE(s.message(), QStringLiteral("Cannot use the latent directions"));
    }

    void dragReportsLiveAndCommitsOnce() {
        LatentSliders s;
        s.setDirections(LatentDirectionSet::fallback(4));
        s.setImageInfo(QStringLiteral("Image"), {});
        QSignalSpy live(&s, &LatentSliders::valuesEdited);
        QSignalSpy committed(&s, &LatentSliders::editCommitted);
        QSlider* slider = s.slider(1);
        slider->setSliderDown(true);  // what pressing the handle does
        slider->setValue(50);
        slider->setValue(120);
        slider->setValue(150);
        QCOMPARE(live.count(), 3);
        QCOMPARE(toVector(live.last().at(0))[1], 1.5);
        QCOMPARE(committed.count(), 0);  // still dragging
        slider->setSliderDown(false);    // release
        QCOMPARE(committed.count(), 1);
        QCOMPARE(toVector(committed.first().at(0)), std::vector<double>(s.count(), 0.0));
        auto after = std::vector<double>(s.count(), 0.0);
        after[1] = 1.5;
        QCOMPARE(toVector(committed.first().at(1)), after);
        QCOMPARE(committed.first().at(3).toInt(), 1);
        QVERIFY(committed.first().at(2).toString().contains(QStringLiteral("z[1]")));
        QCOMPARE(s.values(), after);

        // A key step commits at once, from the last committed values.
        QTest::keyClick(slider, Qt::Key_Right);
        QCOMPARE(committed.count(), 2);
        QCOMPARE(toVector(committed.last().at(0)), after);
        QCOMPARE(toVector(committed.last().at(1))[1], 1.55);
    }

    void setValuesIsSilent() {
        LatentSliders s;
        s.setDirections(LatentDirectionSet::fallback(3));
        s.setImageInfo(QStringLiteral("Image"), {});
        QSignalSpy live(&s, &LatentSliders::valuesEdited);
        QSignalSpy committed(&s, &LatentSliders::editCommitted);
        s.setValues({0.25, -2.5, 9.0});
        QCOMPARE(live.count(), 0);
        QCOMPARE(committed.count(), 0);
        QCOMPARE(s.values()[1], -2.5);
        QCOMPARE(s.slider(1)->value(), -250);
        QCOMPARE(s.slider(2)->value(), 300);  // shown clamped to the range
        QCOMPARE(LatentSliders::formatValue(-2.5), QStringLiteral("\u22122.50"));
        QCOMPARE(LatentSliders::formatValue(0.25), QStringLiteral("+0.25"));
        QCOMPARE(LatentSliders::formatValue(0.0), QStringLiteral("0.00"));
    }

    void resetAndRandomiseLeaveLockedRowsAlone() {
        LatentSliders s;
        s.setDirections(LatentDirectionSet::fallback(4));
        s.setImageInfo(QStringLiteral("Image"), {});
        s.setValues({1.0, 2.0, -1.0, 0.5});
        s.setLocked(1, true);
        QVERIFY(!s.slider(1)->isEnabled());
        QSignalSpy committed(&s, &LatentSliders::editCommitted);
        s.resetButton()->click();
        QCOMPARE(committed.count(), 1);
        auto values = s.values();
        QCOMPARE(values[0], 0.0);
        QCOMPARE(values[1], 2.0);  // locked
        QCOMPARE(values[2], 0.0);
        QCOMPARE(committed.first().at(2).toString(), QStringLiteral("Reset sliders"));
        QCOMPARE(committed.first().at(3).toInt(), -1);

        s.setSpread(0.5);
        QRandomGenerator rng(1234);
        const auto drawn = s.randomValues(rng);
        QCOMPARE(drawn[1], 2.0);
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            QVERIFY(std::abs(drawn[i]) <= 3.0);
            QCOMPARE(std::round(drawn[i] * 100) / 100, drawn[i]);  // on the slider's grid
        }
        s.randomiseButton()->click();
        QCOMPARE(committed.count(), 2);
        QCOMPARE(s.values()[1], 2.0);
        // Locks belong to directions by name and survive a rebuild.
        s.setDirections(LatentDirectionSet::fallback(4));
        QVERIFY(s.isLocked(1));
        QVERIFY(!s.isLocked(0));
    }
};

QTEST_MAIN(tst_LatentSliders)
#include "tst_LatentSliders.moc"
