// The image panel's latent editor end to end, with the torch-free
// fixture-image family in its latent mode: selection, the sliders dock,
// slider renders on their own lane, undo/redo, interpolation, export and
// re-open (PNG, JPEG, WebP), encoding opened images, TorchScript-like models
// and broken directions files.
#include <QCheckBox>
#include <QImageReader>
#include <QImageWriter>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>

#include "LatentFixture.h"
#include "UiTestSupport.h"
#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/media/ImageExport.h"
#include "latent/qt/EngineBridge.h"
#include "mainwindow/MainWindow.h"
#include "models/JobListModel.h"
#include "panels/image/ImagePanel.h"
#include "panels/image/InterpolationStrip.h"
#include "panels/image/LatentSliders.h"
#include "panels/image/LatentSlidersDock.h"
#include "widgets/Canvas.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {
const QString kLatent = QStringLiteral("fixture-latent");
const QString kPlain = QStringLiteral("fixture-plain");
const QString kTorchScript = QStringLiteral("fixture-torchscript");
const QString kBadDirections = QStringLiteral("fixture-bad-directions");

ParamMap latentParams(std::int64_t batch, std::int64_t steps = 1, std::int64_t stepMs = 0) {
    return {{"size", std::int64_t(32)},
            {"steps", steps},
            {"step_ms", stepMs},
            {"batch", batch},
            {"fail_at_step", std::int64_t(0)}};
}

double norm(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += double(x) * double(x);
    return std::sqrt(s);
}
}  // namespace

class tst_ImagePanelLatent : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_files;

    ImagePanel* panel() const { return qobject_cast<ImagePanel*>(m_window->panel(Modality::Image)); }
    LatentSliders* sliders() const { return panel()->latentSliders(); }
    JobState queueState(JobId id) const { return m_studio->jobs()->state(id); }

    // Generates with `model` and waits until its images are in and editable.
    JobId generate(const QString& model, const ParamMap& params, std::uint64_t seed = 1234) {
        ImagePanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        if (!p->selectModel(model)) return 0;
        p->paramForm()->setValues(params);
        p->seedEdit()->setRandomEachTime(false);
        p->seedEdit()->setSeed(seed);
        p->generateButton()->click();
        return p->currentJob();
    }

    bool waitForJob(JobId id) {
        return id != 0 && QTest::qWaitFor([&] { return isTerminal(queueState(id)); }, 10000) &&
               queueState(id) == JobState::Finished;
    }

    bool waitForRenders() {
        return QTest::qWaitFor([&] { return !panel()->isRendering(); }, 10000);
    }

    // Drags slider `row` to `value` the way a mouse does: press, move, release.
    void drag(int row, double value) {
        QSlider* s = sliders()->slider(row);
        s->setSliderDown(true);
        s->setValue(int(std::lround(value * LatentSliders::kTicksPerUnit / 2)));
        s->setValue(int(std::lround(value * LatentSliders::kTicksPerUnit)));
        s->setSliderDown(false);
    }

    std::vector<float> principalRow(int row) const {
        const auto d = test::exampleDirections();
        return {d.principal.begin() + row * test::kLatentDim, d.principal.begin() + (row + 1) * test::kLatentDim};
    }

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        const auto root = test::fixtureModelRoot();
        test::writeLatentPackage(root, kLatent.toStdString());
        test::writeFixtureImagePackage(root, kPlain.toStdString());
        test::writeTorchScriptLikePackage(root, kTorchScript.toStdString());
        test::writeBadDirectionsPackage(root, kBadDirections.toStdString());
        QVERIFY(m_files.isValid());
    }

    void init() {
        m_studio = std::make_unique<Studio>();
        m_studio->startEngine(test::testEngineConfig(), /*async=*/false);
        QVERIFY2(m_studio->isReady(), qPrintable(m_studio->startError()));
        m_window = std::make_unique<MainWindow>(*m_studio, nullptr);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() {
        m_window.reset();
        m_studio.reset();
    }

    void generatedImagesAreSelectableAndEditable() {
        ImagePanel* p = panel();
        const JobId id = generate(kLatent, latentParams(4));
        QVERIFY(waitForJob(id));
        QTRY_COMPARE(p->imageCount(), 4);
        for (int i = 0; i < 4; ++i) {
            QVERIFY(p->imageAt(i)->editable());
            QCOMPARE(int(p->imageAt(i)->latent.size()), test::kLatentDim);
            QCOMPARE(p->imageAt(i)->latent, p->imageAt(i)->base);
        }
        // The first image is selected for the sliders: 4 principal + 1 named direction.
        QCOMPARE(p->selectedIndex(), 0);
        QCOMPARE(p->canvas()->selectedIndex(), 0);
        QCOMPARE(sliders()->count(), 5);
        QCOMPARE(sliders()->directionName(4), QStringLiteral("dark \u2194 bright"));
        QVERIFY(sliders()->isEditable());
        QVERIFY2(p->frameInfoText().contains(QStringLiteral("bits/dim")), qPrintable(p->frameInfoText()));

        // A click selects another; Ctrl+click picks the second for interpolation.
        Canvas* c = p->canvas();
        QTest::mouseClick(c, Qt::LeftButton, Qt::NoModifier, c->cellWidgetRect(2).center().toPoint());
        QCOMPARE(p->selectedIndex(), 2);
        QTest::mouseClick(c, Qt::LeftButton, Qt::ControlModifier, c->cellWidgetRect(3).center().toPoint());
        QCOMPARE(p->selectedIndex(), 2);
        QCOMPARE(p->secondIndex(), 3);
        QCOMPARE(c->secondaryIndex(), 3);
        QVERIFY(p->interpolationStrip()->isAvailable());
        QTest::mouseClick(c, Qt::LeftButton, Qt::ShiftModifier, c->cellWidgetRect(3).center().toPoint());
        QCOMPARE(p->secondIndex(), -1);  // again: let go of it
        QVERIFY(!p->interpolationStrip()->isAvailable());

        // The dock shows with the Image (and Audio) panel only.
        LatentSlidersDock* dock = m_window->latentSlidersDock();
        QVERIFY(dock);
        QVERIFY(dock->isVisible());
        QCOMPARE(dock->currentSliders(), sliders());
        m_window->tabs()->setCurrentWidget(m_window->panel(Modality::Text));
        QVERIFY(!dock->isVisible());
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(dock->isVisible());
    }

    void slidersRenderOnTheirOwnLane() {
        ImagePanel* p = panel();
        const JobId main = generate(kLatent, latentParams(2));
        QVERIFY(waitForJob(main));
        QTRY_COMPARE(p->imageCount(), 2);
        p->selectImage(1);
        const std::vector<float> base = p->imageAt(1)->base;
        const QImage before = p->imageAt(1)->image;

        QSlider* s = sliders()->slider(0);
        s->setSliderDown(true);
        s->setValue(150);  // PC 1 = +1.5σ
        // latent = base + 1.5 · principal[0], at once.
        const auto pc1 = principalRow(0);
        for (int j = 0; j < test::kLatentDim; ++j)
            QVERIFY(std::abs(p->imageAt(1)->latent[std::size_t(j)] - (base[std::size_t(j)] + 1.5f * pc1[std::size_t(j)])) <
                    1e-6);
        const JobId render = p->renderJob();
        QVERIFY(render != 0 && render != main);
        const auto info = m_studio->engine()->job(render);
        QVERIFY(info.has_value());
        QCOMPARE(info->lane, std::string(ImagePanel::kSliderLane));
        QCOMPARE(info->task, std::string("image.decode"));
        s->setSliderDown(false);
        QVERIFY(waitForRenders());
        // The main job is still the panel's job, untouched.
        QCOMPARE(p->currentJob(), main);
        QCOMPARE(queueState(main), JobState::Finished);
        QCOMPARE(p->imageAt(1)->shownLatent, p->imageAt(1)->latent);
        QVERIFY(p->imageAt(1)->image != before);
        QCOMPARE(p->canvas()->frame(1), p->imageAt(1)->image);
        QCOMPARE(p->imageAt(0)->latent, p->imageAt(0)->base);  // the other image is not edited

        // While a long main job runs, an edit renders on its lane without cancelling it.
        const JobId running = generate(kLatent, latentParams(1, 400, 10));
        QTRY_VERIFY_WITH_TIMEOUT(p->imageCount() == 1 && p->imageAt(0)->editable(), 5000);
        p->selectImage(0);
        drag(1, -0.8);
        const JobId edit = p->renderJob();
        QVERIFY(edit != 0);
        QCOMPARE(p->currentJob(), running);
        QCOMPARE(queueState(running), JobState::Running);
        p->stop();
        QTRY_COMPARE(queueState(running), JobState::Cancelled);
        // The edit was drawn, not cancelled with the main job (the queue keeps only
        // the lane's newest row, so ask the panel rather than the queue).
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->shownLatent, p->imageAt(0)->latent);
    }

    void newerEditsReplaceOlderRenders() {
        ImagePanel* p = panel();
        QVERIFY(waitForJob(generate(kLatent, latentParams(1))));
        QTRY_VERIFY(p->selectedIndex() == 0);
        // Many quick moves: at most one render runs, the last value wins.
        QSlider* s = sliders()->slider(2);
        s->setSliderDown(true);
        for (int v = 10; v <= 250; v += 10) s->setValue(v);
        s->setSliderDown(false);
        QVERIFY(waitForRenders());
        const auto& li = *p->imageAt(0);
        QCOMPARE(li.sliders[2], 2.5);
        QCOMPARE(li.shownLatent, li.latent);
        QCOMPARE(p->undoStack()->count(), 1);
    }

    void undoRedoRestoresValuesAndRerenders() {
        ImagePanel* p = panel();
        QVERIFY(waitForJob(generate(kLatent, latentParams(1))));
        QTRY_COMPARE(p->selectedIndex(), 0);
        const QImage original = p->imageAt(0)->image;
        const std::vector<float> base = p->imageAt(0)->base;
        QUndoStack* undo = p->undoStack();
        QCOMPARE(undo->count(), 0);

        drag(0, 1.0);
        drag(0, 2.0);  // the same slider again: merges into one step
        QCOMPARE(undo->count(), 1);
        drag(3, -1.5);
        QCOMPARE(undo->count(), 2);
        QVERIFY(waitForRenders());
        const QImage edited = p->imageAt(0)->image;
        QVERIFY(edited != original);
        QCOMPARE(sliders()->values()[0], 2.0);
        QCOMPARE(sliders()->values()[3], -1.5);

        undo->undo();  // PC 4 back to 0
        QCOMPARE(sliders()->values()[3], 0.0);
        QCOMPARE(sliders()->values()[0], 2.0);
        undo->undo();  // PC 1 back to 0: the base, re-rendered as it was
        QCOMPARE(sliders()->values(), std::vector<double>(5, 0.0));
        QCOMPARE(p->imageAt(0)->latent, base);
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->image, original);
        QVERIFY(!undo->canUndo());

        undo->redo();
        undo->redo();
        QCOMPARE(sliders()->values()[0], 2.0);
        QCOMPARE(sliders()->values()[3], -1.5);
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->image, edited);

        // Reset and Randomise are one step each; locked rows stay put.
        sliders()->setLocked(0, true);
        sliders()->resetButton()->click();
        QCOMPARE(undo->count(), 3);
        QCOMPARE(sliders()->values()[0], 2.0);
        QCOMPARE(sliders()->values()[3], 0.0);
        sliders()->randomiseButton()->click();
        QCOMPARE(undo->count(), 4);
        QCOMPARE(sliders()->values()[0], 2.0);
        undo->undo();
        undo->undo();
        QCOMPARE(sliders()->values()[3], -1.5);
        sliders()->setLocked(0, false);

        // Ctrl+Z / Ctrl+Shift+Z work inside the panel.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        p->canvas()->setFocus();
        QTest::keyClick(p->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(sliders()->values()[3], 0.0);
        QTest::keyClick(p->canvas(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(sliders()->values()[3], -1.5);
        // The toolbar buttons too.
        QVERIFY(p->undoAction()->isEnabled());
        p->undoAction()->trigger();
        QCOMPARE(sliders()->values()[3], 0.0);
        p->redoAction()->trigger();
        QCOMPARE(sliders()->values()[3], -1.5);
        QVERIFY(waitForRenders());
    }

    void seedChangesAreUndoable() {
        ImagePanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        p->seedEdit()->setRandomEachTime(false);
        p->seedEdit()->setSeed(100);
        const int steps = p->undoStack()->count();
        QCOMPARE(p->undoStack()->count(), steps);
        p->findChild<QToolButton*>(QStringLiteral("seedDice"))->click();
        const std::uint64_t rolled = p->seedEdit()->seed();
        QCOMPARE(p->undoStack()->count(), steps + 1);
        p->seedEdit()->setSeed(777);
        QCOMPARE(p->undoStack()->count(), steps + 2);
        p->undoStack()->undo();
        QCOMPARE(p->seedEdit()->seed(), rolled);
        p->undoStack()->undo();
        QCOMPARE(p->seedEdit()->seed(), std::uint64_t(100));
        p->undoStack()->redo();
        p->undoStack()->redo();
        QCOMPARE(p->seedEdit()->seed(), std::uint64_t(777));
    }

    void interpolatesBetweenTwoImages() {
        ImagePanel* p = panel();
        QVERIFY(waitForJob(generate(kLatent, latentParams(2), 99)));
        QTRY_COMPARE(p->imageCount(), 2);
        p->selectImage(0);
        p->selectImage(1, /*second=*/true);
        InterpolationStrip* strip = p->interpolationStrip();
        QVERIFY(strip->isAvailable());
        const std::vector<float> a = p->imageAt(0)->latent, b = p->imageAt(1)->latent;

        strip->setMode(InterpolationMode::Linear);
        strip->setSteps(5);
        strip->interpolateButton()->click();
        const JobId job = p->interpolationJob();
        QVERIFY(job != 0);
        QCOMPARE(m_studio->engine()->job(job)->lane, std::string(ImagePanel::kInterpolationLane));
        QCOMPARE(int(p->interpolationLatents().size()), 5);
        QCOMPARE(p->interpolationLatents().front(), a);
        QCOMPARE(p->interpolationLatents().back(), b);
        QTRY_VERIFY_WITH_TIMEOUT(p->interpolationJob() == 0, 10000);
        QCOMPARE(strip->thumbnailCount(), 5);
        for (int i = 0; i < 5; ++i) QVERIFY(!strip->thumbnail(i).isNull());
        // The ends decode to the two images themselves.
        QCOMPARE(strip->thumbnail(0), p->imageAt(0)->image);
        QCOMPARE(strip->thumbnail(4), p->imageAt(1)->image);

        strip->setMode(InterpolationMode::Spherical);
        strip->setSteps(7);
        QVERIFY(p->interpolate(strip->mode(), strip->steps()));
        const double na = norm(a), nb = norm(b);
        for (const auto& l : p->interpolationLatents()) {
            QVERIFY(norm(l) >= std::min(na, nb) - 1e-4);
            QVERIFY(norm(l) <= std::max(na, nb) + 1e-4);
        }
        QTRY_VERIFY_WITH_TIMEOUT(p->interpolationJob() == 0, 10000);

        // Clicking a step makes it the selected image's base (undoable).
        QListWidget* list = strip->thumbnails();
        const QRect cell = list->visualItemRect(list->item(3));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(p->imageAt(0)->base, p->interpolationLatents()[3]);
        QCOMPARE(p->imageAt(0)->latent, p->interpolationLatents()[3]);
        QCOMPARE(p->undoStack()->undoText(), QStringLiteral("Use interpolation step 4"));
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->image, strip->thumbnail(3));
        p->undoStack()->undo();
        QCOMPARE(p->imageAt(0)->base, a);
        QVERIFY(waitForRenders());
    }

    void exportAndReopenRestoresTheEdit() {
        ImagePanel* p = panel();
        QVERIFY(waitForJob(generate(kLatent, latentParams(2), 4321)));
        QTRY_COMPARE(p->imageCount(), 2);
        p->selectImage(1);
        drag(1, -1.0);
        drag(4, 0.5);
        QVERIFY(waitForRenders());
        const LatentImage saved = *p->imageAt(1);

        const QString png = m_files.filePath(QStringLiteral("edit.png"));
        QString error;
        QVERIFY2(p->saveImage(png, &error), qPrintable(error));
        const auto prov = readPngProvenance(png.toStdString());
        QVERIFY(prov.has_value());
        QCOMPARE(QString::fromStdString(prov->modelId), kLatent);
        QCOMPARE(prov->seed, std::uint64_t(4321));
        QCOMPARE(prov->latent, saved.latent);
        QCOMPARE(prov->latentBase, saved.base);
        QCOMPARE(prov->sliders.size(), std::size_t(2));
        QCOMPARE(prov->sliders.at("PC 2"), -1.0);
        QCOMPARE(prov->sliders.at("dark \xe2\x86\x94 bright"), 0.5);
        // The selected image, not the grid.
        QCOMPARE(QImage(png).convertToFormat(QImage::Format_RGBA8888), saved.image);

        // Something else on the canvas, another model and seed; then open.
        QVERIFY(waitForJob(generate(kPlain, latentParams(1), 5)));
        QVERIFY(p->openImages({png}));
        QCOMPARE(p->currentModelId(), kLatent);
        QCOMPARE(p->seedEdit()->seed(), std::uint64_t(4321));
        QVERIFY(!p->seedEdit()->randomEachTime());
        QCOMPARE(p->imageCount(), 1);
        QCOMPARE(p->selectedIndex(), 0);
        const LatentImage& back = *p->imageAt(0);
        QCOMPARE(back.latent, saved.latent);
        QCOMPARE(back.base, saved.base);
        QCOMPARE(back.sliders, saved.sliders);
        QCOMPARE(sliders()->values(), saved.sliders);
        QVERIFY(p->errorText().contains(QStringLiteral("Restored edit.png")));
        // Re-rendered by decoding: the same pixels again.
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->image, saved.image);
        // ... and still editable where it left off.
        drag(1, 0.0);
        QCOMPARE(p->imageAt(0)->sliders[1], 0.0);
        QVERIFY(waitForRenders());

        // JPEG keeps the provenance as its comment.
        if (QImageWriter::supportedImageFormats().contains("jpeg")) {
            const QString jpg = m_files.filePath(QStringLiteral("edit.jpg"));
            QVERIFY2(p->saveImage(jpg, &error), qPrintable(error));
            QImageReader reader(jpg);
            QVERIFY(reader.text(QStringLiteral("latent-studio")).contains(QStringLiteral("\"latent\"")));
            QVERIFY(waitForJob(generate(kLatent, latentParams(1), 6)));
            QVERIFY(p->openImages({jpg}));
            QCOMPARE(p->seedEdit()->seed(), std::uint64_t(4321));
            QCOMPARE(p->imageAt(0)->base, saved.base);
            QCOMPARE(p->imageAt(0)->sliders[4], 0.5);
            QVERIFY(waitForRenders());
        }
        // WebP writes its provenance beside the image.
        const QString webp = m_files.filePath(QStringLiteral("edit.webp"));
        if (QImageWriter::supportedImageFormats().contains("webp")) {
            QVERIFY2(p->saveImage(webp, &error), qPrintable(error));
            QVERIFY(QFile::exists(webp + QStringLiteral(".json")));
            QVERIFY(p->openImages({webp}));
            QCOMPARE(p->imageAt(0)->sliders[4], 0.5);
            QVERIFY(waitForRenders());
        } else {
            QVERIFY(!p->saveImage(webp, &error));
            QVERIFY2(error.contains(QStringLiteral("WEBP")), qPrintable(error));
            QVERIFY(!QFile::exists(webp));
        }
    }

    void openingOtherImagesEncodesThem() {
        ImagePanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kLatent));
        // 40×30, so the model resizes it and says so.
        QImage img(40, 30, QImage::Format_RGBA8888);
        img.fill(QColor(168, 88, 128));
        const QString path = m_files.filePath(QStringLiteral("photo.png"));
        QVERIFY(img.save(path));
        QVERIFY(p->openImages({path}));
        QCOMPARE(p->imageCount(), 1);
        QVERIFY(p->isEncoding());
        QTRY_VERIFY_WITH_TIMEOUT(!p->isEncoding(), 10000);
        const LatentImage& li = *p->imageAt(0);
        QVERIFY(li.editable());
        QCOMPARE(li.image.size(), QSize(32, 32));
        QVERIFY(std::abs(li.latent[0] - 1.0f) < 1e-4);  // (168 − 128) / 40
        QVERIFY(std::abs(li.latent[2] + 1.0f) < 1e-4);
        QCOMPARE(p->selectedIndex(), 0);
        QVERIFY(sliders()->isEditable());
        QVERIFY2(p->errorText().contains(QStringLiteral("resized")), qPrintable(p->errorText()));
        QVERIFY(li.origin.contains(QStringLiteral("photo.png")));
        // Editable like any other.
        drag(0, 1.0);
        QVERIFY(waitForRenders());
        QCOMPARE(p->undoStack()->count(), 1);
    }

    void clearMessagesForWhatCannotBeOpened() {
        ImagePanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kPlain));
        QImage img(16, 16, QImage::Format_RGBA8888);
        img.fill(Qt::red);
        const QString path = m_files.filePath(QStringLiteral("red.png"));
        QVERIFY(img.save(path));
        QVERIFY(!p->openImages({path}));
        QVERIFY2(p->errorText().contains(QStringLiteral("has no encoder")), qPrintable(p->errorText()));
        // The opened image still shows.
        QVERIFY(p->canvas()->hasImage());

        const QString text = m_files.filePath(QStringLiteral("notes.txt"));
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not an image");
        }
        QVERIFY(!p->openImages({text}));
        QVERIFY2(p->errorText().contains(QStringLiteral("is not an image")), qPrintable(p->errorText()));
        QVERIFY(!p->openImages({m_files.filePath(QStringLiteral("missing.png"))}));
        QVERIFY(p->errorText().contains(QStringLiteral("does not exist")));
    }

    void sampleOnlyModelsReportTheirLatentsAndAreRenderedBySampling() {
        // Like an imported TorchScript generator: no decode task. The plugin
        // draws z from the seed and reports it, so the GUI edits that z.
        ImagePanel* p = panel();
        const JobId id = generate(kTorchScript, {{"size", std::int64_t(24)}, {"batch", std::int64_t(2)}}, 77);
        QVERIFY(waitForJob(id));
        QTRY_COMPARE(p->imageCount(), 2);
        const std::vector<float> drawn = p->imageAt(0)->latent;
        QCOMPARE(drawn.size(), std::size_t(20));
        QVERIFY(p->imageAt(1)->latent.size() == 20 && p->imageAt(1)->latent != drawn);
        QCOMPARE(p->selectedIndex(), 0);
        // Per-dimension and random directions: 16 + 8.
        QCOMPARE(sliders()->count(), 24);
        QCOMPARE(sliders()->directionName(0), QStringLiteral("z[0]"));
        QVERIFY(sliders()->message().isEmpty());

        QSlider* s = sliders()->slider(0);
        s->setSliderDown(true);
        s->setValue(200);
        const JobId render = p->renderJob();
        QVERIFY(render != 0);
        QCOMPARE(m_studio->engine()->job(render)->task, std::string("image.sample"));
        QCOMPARE(m_studio->engine()->job(render)->lane, std::string(ImagePanel::kSliderLane));
        s->setSliderDown(false);
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->latent[0], drawn[0] + 2.0f);
        QCOMPARE(p->imageAt(0)->latent[1], drawn[1]);
        QCOMPARE(p->imageAt(0)->image.size(), QSize(24, 24));
        QCOMPARE(p->imageAt(0)->shownLatent, p->imageAt(0)->latent);
    }

    void brokenDirectionsShowAMessageInTheDock() {
        ImagePanel* p = panel();
        QVERIFY(waitForJob(generate(kBadDirections, {{"size", std::int64_t(16)}})));
        QTRY_VERIFY(p->selectedIndex() == 0);
        QVERIFY2(sliders()->message().contains(QStringLiteral("Cannot use the latent directions")),
                 qPrintable(sliders()->message()));
        QVERIFY(sliders()->message().contains(QStringLiteral("[K, 8]")) ||
                sliders()->message().contains(QStringLiteral("[8]")));
        // Still editable with the fallback directions.
        QCOMPARE(sliders()->count(), 8 + 8);
        drag(0, 1.0);
        QVERIFY(waitForRenders());
        QCOMPARE(p->imageAt(0)->latent[0], p->imageAt(0)->base[0] + 1.0f);
    }

    void plainModelsHaveNothingToEdit() {
        ImagePanel* p = panel();
        QVERIFY(waitForJob(generate(kPlain, latentParams(1))));
        QTRY_VERIFY(p->canvas()->hasImage());
        QCOMPARE(p->selectedIndex(), -1);  // nothing editable to select
        p->selectImage(0);
        QVERIFY(!sliders()->isEditable());
        QVERIFY2(sliders()->message().contains(QStringLiteral("no latent space")), qPrintable(sliders()->message()));
        QVERIFY(!p->imageAt(0)->editable());
    }
};

QTEST_MAIN(tst_ImagePanelLatent)
#include "tst_ImagePanelLatent.moc"
