// ParamForm renders any schema with the right editors and round-trips values.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "UiTestSupport.h"
#include "widgets/ParamForm.h"
#include "widgets/ParamJson.h"

using namespace latent;

namespace {

ParamSchema sampleSchema() {
    ParamSchema s;
    ParamSpec steps;
    steps.name = "steps";
    steps.type = ParamType::Int;
    steps.label = "Steps";
    steps.description = "Refinement steps";
    steps.unit = "steps";
    steps.defaultValue = std::int64_t(20);
    steps.minimum = 1;
    steps.maximum = 150;
    steps.step = 5;
    s.push_back(steps);

    ParamSpec temp;
    temp.name = "temperature";
    temp.type = ParamType::Float;
    temp.label = "Temperature";
    temp.description = "Sampling temperature";
    temp.defaultValue = 0.8;
    temp.minimum = 0.0;
    temp.maximum = 2.0;
    temp.step = 0.05;
    s.push_back(temp);

    ParamSpec flag;
    flag.name = "tile";
    flag.type = ParamType::Bool;
    flag.description = "Tile the output";
    flag.defaultValue = false;
    s.push_back(flag);

    ParamSpec sampler;
    sampler.name = "sampler";
    sampler.type = ParamType::Choice;
    sampler.label = "Sampler";
    sampler.choices = {"euler", "ddim", "heun"};
    sampler.defaultValue = std::string("ddim");
    s.push_back(sampler);

    ParamSpec negative;
    negative.name = "negative";
    negative.type = ParamType::String;
    negative.label = "Negative prompt";
    negative.defaultValue = std::string("blurry");
    s.push_back(negative);
    return s;
}

ParamMap defaults() {
    return {{"steps", std::int64_t(20)},
            {"temperature", 0.8},
            {"tile", false},
            {"sampler", std::string("ddim")},
            {"negative", std::string("blurry")}};
}

}  // namespace

class tst_ParamForm : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void rendersEditorsForEveryType() {
        ParamForm form;
        form.setSchema(sampleSchema());
        auto* steps = qobject_cast<QSpinBox*>(form.editor(QStringLiteral("steps")));
        QVERIFY(steps);
        QCOMPARE(steps->minimum(), 1);
        QCOMPARE(steps->maximum(), 150);
        QCOMPARE(steps->singleStep(), 5);
        QCOMPARE(steps->suffix(), QStringLiteral(" steps"));
        QCOMPARE(steps->toolTip(), QStringLiteral("Refinement steps"));
        auto* temp = qobject_cast<QDoubleSpinBox*>(form.editor(QStringLiteral("temperature")));
        QVERIFY(temp);
        QCOMPARE(temp->maximum(), 2.0);
        QCOMPARE(temp->singleStep(), 0.05);
        QCOMPARE(temp->decimals(), 2);
        QVERIFY(qobject_cast<QCheckBox*>(form.editor(QStringLiteral("tile"))));
        auto* sampler = qobject_cast<QComboBox*>(form.editor(QStringLiteral("sampler")));
        QVERIFY(sampler);
        QCOMPARE(sampler->count(), 3);
        QVERIFY(qobject_cast<QLineEdit*>(form.editor(QStringLiteral("negative"))));
        QVERIFY(!form.editor(QStringLiteral("nope")));
        // The label falls back to the name.
        bool foundTileLabel = false;
        for (QLabel* l : form.findChildren<QLabel*>()) foundTileLabel = foundTileLabel || l->text() == QLatin1String("tile");
        QVERIFY(foundTileLabel);
    }

    void startsAtDefaults() {
        ParamForm form;
        form.setSchema(sampleSchema());
        QCOMPARE(form.values(), defaults());
    }

    void roundTripsValues() {
        ParamForm form;
        form.setSchema(sampleSchema());
        const ParamMap values{{"steps", std::int64_t(45)},
                              {"temperature", 1.25},
                              {"tile", true},
                              {"sampler", std::string("heun")},
                              {"negative", std::string("low quality, text")}};
        QSignalSpy changed(&form, &ParamForm::valuesChanged);
        form.setValues(values);
        QVERIFY(changed.count() > 0);
        QCOMPARE(form.values(), values);
        // Through settings JSON and back.
        ParamForm other;
        other.setSchema(sampleSchema());
        other.setValues(paramMapFromJsonText(paramMapToJsonText(form.values())));
        QCOMPARE(other.values(), values);
    }

    void integerFieldsCanShowNamedValues() {
        ParamForm form;
        form.setSchema(sampleSchema());
        form.setValues({{"steps", std::int64_t(5)}});
        form.setValueNames(QStringLiteral("steps"), {{1, QStringLiteral("one")}, {5, QStringLiteral("five")},
                                                     {20, QStringLiteral("twenty")}});
        auto* box = qobject_cast<QComboBox*>(form.editor(QStringLiteral("steps")));
        QVERIFY(box);
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->currentText(), QStringLiteral("five"));  // the value carried over
        QCOMPARE(form.values().at("steps"), ParamValue(std::int64_t(5)));
        QSignalSpy changed(&form, &ParamForm::valuesChanged);
        box->setCurrentIndex(2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(form.values().at("steps"), ParamValue(std::int64_t(20)));
        form.setValues({{"steps", std::int64_t(1)}});
        QCOMPARE(box->currentText(), QStringLiteral("one"));
        form.setValues({{"steps", std::int64_t(7)}});  // not a named value: unchanged
        QCOMPARE(form.values().at("steps"), ParamValue(std::int64_t(1)));
        form.resetToDefaults();
        QCOMPARE(box->currentText(), QStringLiteral("twenty"));
        // Only integer fields take names; a new schema drops them.
        form.setValueNames(QStringLiteral("sampler"), {{0, QStringLiteral("zero")}});
        QCOMPARE(qobject_cast<QComboBox*>(form.editor(QStringLiteral("sampler")))->itemText(0), QStringLiteral("euler"));
        form.setSchema(sampleSchema());
        QVERIFY(qobject_cast<QSpinBox*>(form.editor(QStringLiteral("steps"))));
    }

    void convertsClampsAndIgnoresMismatches() {
        ParamForm form;
        form.setSchema(sampleSchema());
        form.setValues({{"steps", 999.0},                    // double → int, clamped to 150
                        {"temperature", std::int64_t(1)},    // int → double
                        {"tile", std::string("yes")},        // wrong type: ignored
                        {"sampler", std::string("plms")},    // not a choice: ignored
                        {"unknown", std::int64_t(3)}});      // unknown name: ignored
        const ParamMap v = form.values();
        QCOMPARE(std::get<std::int64_t>(v.at("steps")), std::int64_t(150));
        QCOMPARE(std::get<double>(v.at("temperature")), 1.0);
        QCOMPARE(std::get<bool>(v.at("tile")), false);
        QCOMPARE(std::get<std::string>(v.at("sampler")), std::string("ddim"));
        QVERIFY(!v.contains("unknown"));
    }

    void resetRestoresDefaults() {
        ParamForm form;
        form.setSchema(sampleSchema());
        form.setValues({{"steps", std::int64_t(100)}, {"tile", true}, {"negative", std::string("")}});
        QVERIFY(form.values() != defaults());
        auto* reset = form.findChild<QPushButton*>(QStringLiteral("resetParams"));
        QVERIFY(reset && reset->isEnabled());
        reset->click();
        QCOMPARE(form.values(), defaults());
    }

    void rebuildsForAnotherSchema() {
        ParamForm form;
        form.setSchema(sampleSchema());
        ParamSpec only;
        only.name = "size";
        only.type = ParamType::Int;
        only.defaultValue = std::int64_t(64);
        only.minimum = 8;
        only.maximum = 1024;
        form.setSchema({only});
        QCOMPARE(form.values(), (ParamMap{{"size", std::int64_t(64)}}));
        QVERIFY(!form.editor(QStringLiteral("steps")));
        form.setSchema({});
        QVERIFY(form.isEmpty());
        QVERIFY(form.values().empty());
    }
};

QTEST_MAIN(tst_ParamForm)
#include "tst_ParamForm.moc"
