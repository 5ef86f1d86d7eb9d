// The Audio panel end to end with the torch-free fixture-audio family, on a
// machine without an audio device (as CI is): a take streams into the views,
// class and keyboard controls follow the model, slider moves re-render on
// their own lane (undoable, A/B against the unedited take), notes render
// from the keyboard, exports carry provenance and re-open with their state,
// opened files feed the transfer task, and bad files give messages.
#include <QAction>
#include <QComboBox>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <memory>

#include "UiTestSupport.h"
#include "app/Studio.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "audio/PianoKeyboard.h"
#include "audio/TransportBar.h"
#include "latent/Engine.h"
#include "latent/media/AudioExport.h"
#include "latent/media/AudioFile.h"
#include "mainwindow/MainWindow.h"
#include "models/JobListModel.h"
#include "panels/audio/AudioPanel.h"
#include "panels/image/LatentSliders.h"
#include "panels/image/LatentSlidersDock.h"
#include "widgets/AudioViewData.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

using namespace latent;

namespace {
const QString kTones = QStringLiteral("fixture-tones");

ParamMap toneParams(double seconds = 0.5, std::int64_t waitMs = 0) {
    return {{"duration_s", seconds}, {"block_ms", std::int64_t(100)}, {"block_wait_ms", waitMs},
            {"sample_rate", std::int64_t(16000)}};
}

std::vector<float> samplesOf(const AudioTake& take) {
    std::vector<float> s(static_cast<std::size_t>(take.frames() * take.channels()));
    take.read(0, take.frames(), s.data());
    return s;
}

// Zero crossings per second / 2: the fundamental of the fixture's tones.
double roughHz(const std::vector<float>& s, int rate) {
    int crossings = 0;
    for (std::size_t i = 1; i < s.size(); ++i)
        if ((s[i] >= 0) != (s[i - 1] >= 0)) ++crossings;
    return crossings / 2.0 / (double(s.size()) / rate);
}
}  // namespace

class tst_AudioPanel : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Studio> m_studio;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_files;

    AudioPanel* panel() const { return qobject_cast<AudioPanel*>(m_window->panel(Modality::Audio)); }
    LatentSliders* sliders() const { return panel()->latentSliders(); }
    JobState queueState(JobId id) const { return m_studio->jobs()->state(id); }

    JobId generate(const ParamMap& params, std::uint64_t seed = 1234) {
        AudioPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        if (!p->selectModel(kTones)) return 0;
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
    bool waitForRenders() { return QTest::qWaitFor([&] { return !panel()->isRendering(); }, 10000); }

    void drag(int row, double value) {
        QSlider* s = sliders()->slider(row);
        s->setSliderDown(true);
        s->setValue(int(std::lround(value * LatentSliders::kTicksPerUnit / 2)));
        s->setValue(int(std::lround(value * LatentSliders::kTicksPerUnit)));
        s->setSliderDown(false);
    }

    QString writeTone(const QString& name, double hz, double seconds, int rate = 22050, int channels = 2) {
        AudioClip clip;
        clip.sampleRateHz = rate;
        clip.channels = channels;
        const auto frames = std::int64_t(seconds * rate);
        for (std::int64_t i = 0; i < frames; ++i)
            for (int c = 0; c < channels; ++c)
                clip.samples.push_back(float(0.5 * std::sin(6.283185307179586 * hz * double(i) / rate)));
        const QString path = m_files.filePath(name);
        writeAudioFile(path.toStdString(), clip, audioFormatForPath(path.toStdString()));
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        test::prepareStudioHome();
        test::writeFixtureAudioPackage(test::fixtureModelRoot(), kTones.toStdString());
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

    void aTakeStreamsIntoTheViewsWithoutAnAudioDevice() {
        AudioPanel* p = panel();
        const JobId id = generate(toneParams(1.0, 40));
        QVERIFY(id != 0);
        // The views grow block by block while the job still runs.
        QTRY_VERIFY_WITH_TIMEOUT(p->viewData()->frames() > 0, 5000);
        QVERIFY(p->viewData()->frames() < 16000);
        QVERIFY(!isTerminal(queueState(id)));
        QVERIFY(waitForJob(id));
        QTRY_COMPARE(p->viewData()->frames(), qint64(16000));
        QVERIFY(p->take());
        QCOMPARE(p->take()->frames(), qint64(16000));
        QVERIFY(p->take()->finished());
        QCOMPARE(p->take()->sampleRateHz(), 16000);
        QVERIFY2(p->infoText().contains(QStringLiteral("16000 Hz")), qPrintable(p->infoText()));
        QVERIFY(p->viewData()->spectrogram() != nullptr);
        // No device here: the panel says so once and stays usable.
        if (!p->player()->available()) {
            QVERIFY2(p->banner()->text().contains(AudioPlayer::noDeviceMessage()), qPrintable(p->banner()->text()));
            QVERIFY(!p->transport()->playPauseAction()->isEnabled() ||
                    p->transport()->playPauseAction()->toolTip().contains(QStringLiteral("device")));
        }
        QVERIFY(p->generateButton()->isEnabled());
        QVERIFY(p->exportAction()->isEnabled());
        // The job went to the library.
        QTRY_VERIFY(m_studio->engine()->job(id)->record);
    }

    void classesAndKeyboardFollowTheModel() {
        AudioPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kTones));
        auto* classes = qobject_cast<QComboBox*>(p->paramForm()->editor(QStringLiteral("class")));
        QVERIFY2(classes, "the class field is a list of the model's classes");
        QCOMPARE(classes->count(), 2);
        QCOMPARE(classes->itemText(0), QStringLiteral("tone"));
        QCOMPARE(classes->itemText(1), QStringLiteral("click"));
        QVERIFY(p->keyboard()->isVisible());
        QVERIFY(p->keyboard()->isEnabled());  // "tone" is pitched
        classes->setCurrentIndex(1);
        QVERIFY(!p->keyboard()->isEnabled());  // "click" is not
        classes->setCurrentIndex(0);
        QVERIFY(p->keyboard()->isEnabled());
    }

    void aKeyboardNoteRendersAtItsPitchAndStaysOutOfTheLibrary() {
        AudioPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kTones));
        p->paramForm()->setValues(toneParams(0.5));
        const JobId id = p->playNote(69, 100);  // A4
        QVERIFY(id != 0);
        QVERIFY(waitForJob(id));
        const auto info = m_studio->engine()->job(id);
        QCOMPARE(info->lane, std::string(AudioPanel::kNoteLane));
        QVERIFY(!info->record);
        QCOMPARE(std::get<std::int64_t>(p->paramForm()->values().at("pitch")), std::int64_t(69));
        QTRY_VERIFY(p->take() && p->take()->finished());
        QVERIFY(std::abs(roughHz(samplesOf(*p->take()), 16000) - 440.0) < 15.0);
        const JobId low = p->playNote(57, 100);  // A3
        QVERIFY(waitForJob(low));
        QTRY_VERIFY(p->take() && p->take()->finished() && p->take()->frames() == 8000);
        QVERIFY(std::abs(roughHz(samplesOf(*p->take()), 16000) - 220.0) < 10.0);
    }

    void slidersReRenderOnTheirLaneWithUndoAndAB() {
        AudioPanel* p = panel();
        QVERIFY(waitForJob(generate(toneParams(0.5))));
        QTRY_VERIFY(p->take() && p->take()->finished());
        QVERIFY(p->sound().editable());
        QCOMPARE(p->sound().edit, AudioSound::Edit::Global);
        QCOMPARE(int(p->sound().base.size()), 3);
        // No directions file: per-dimension and random directions.
        QCOMPARE(sliders()->count(), int(LatentDirectionSet::fallback(3).size()));
        QCOMPARE(sliders()->directionName(0), QStringLiteral("z[0]"));
        LatentSlidersDock* dock = m_window->latentSlidersDock();
        QVERIFY(dock->isVisible());
        QCOMPARE(dock->currentSliders(), sliders());
        const std::shared_ptr<AudioTake> original = p->take();
        const float peakBefore = original->peak(0, original->frames());

        // z[0] is the level: +1.5 makes it louder, rendered on the slider lane.
        drag(0, 1.5);
        const JobId render = p->renderJob();
        QVERIFY(render != 0);
        const auto info = m_studio->engine()->job(render);
        QCOMPARE(info->lane, std::string(AudioPanel::kSliderLane));
        QCOMPARE(info->task, std::string("audio.decode"));
        QVERIFY(!info->record);
        QVERIFY(waitForRenders());
        QTRY_VERIFY(p->take() != original && p->take()->finished());
        const float peakAfter = p->take()->peak(0, p->take()->frames());
        QVERIFY2(peakAfter > peakBefore * 1.2f, qPrintable(QStringLiteral("%1 -> %2").arg(peakBefore).arg(peakAfter)));
        QCOMPARE(p->previousTake(), original);  // A/B: the unedited take
        QVERIFY(p->transport()->compareAction()->isEnabled());
        p->transport()->compareAction()->trigger();
        QCOMPARE(p->player()->take(), original);
        p->transport()->compareAction()->trigger();
        QCOMPARE(p->player()->take(), p->take());

        // Undo goes back to the unedited latent and renders it again.
        QCOMPARE(p->undoStack()->count(), 1);
        p->undoAction()->trigger();
        QCOMPARE(sliders()->values()[0], 0.0);
        QVERIFY(waitForRenders());
        QTRY_VERIFY(p->take()->finished());
        QVERIFY(std::abs(p->take()->peak(0, p->take()->frames()) - peakBefore) < 1e-6f);
        QCOMPARE(samplesOf(*p->take()), samplesOf(*original));
        p->redoAction()->trigger();
        QCOMPARE(sliders()->values()[0], 1.5);
        QVERIFY(waitForRenders());
        QTRY_VERIFY(std::abs(p->take()->peak(0, p->take()->frames()) - peakAfter) < 1e-6f);
    }

    void sameSeedSameSamples() {
        AudioPanel* p = panel();
        QVERIFY(waitForJob(generate(toneParams(0.3), 77)));
        QTRY_VERIFY(p->take() && p->take()->finished());
        const auto a = samplesOf(*p->take());
        QVERIFY(waitForJob(generate(toneParams(0.3), 77)));
        QTRY_VERIFY(p->take() && p->take()->finished() && samplesOf(*p->take()) == a);
        QVERIFY(waitForJob(generate(toneParams(0.3), 78)));
        QTRY_VERIFY(p->take() && p->take()->finished());
        QVERIFY(samplesOf(*p->take()) != a);
    }

    void exportsCarryProvenanceAndReopenWithTheirState() {
        AudioPanel* p = panel();
        QVERIFY(waitForJob(generate(toneParams(0.5), 4321)));
        QTRY_VERIFY(p->take() && p->take()->finished());
        drag(1, -1.0);
        QVERIFY(waitForRenders());
        QTRY_VERIFY(p->take()->finished());
        const std::vector<float> edited = samplesOf(*p->take());

        for (const auto& [name, format] : std::vector<std::pair<QString, AudioFileFormat>>{
                 {QStringLiteral("edit.flac"), AudioFileFormat::Flac24},
                 {QStringLiteral("edit16.wav"), AudioFileFormat::Wav16},
                 {QStringLiteral("edit24.wav"), AudioFileFormat::Wav24},
                 {QStringLiteral("editf.wav"), AudioFileFormat::WavFloat},
                 {QStringLiteral("edit.ogg"), AudioFileFormat::OggVorbis}}) {
            const QString path = m_files.filePath(name);
            QString error;
            QVERIFY2(p->exportAudioFile(path, format, &error), qPrintable(error));
            const auto prov = readAudioProvenance(path.toStdString());
            QVERIFY2(prov.has_value(), qPrintable(name));
            QCOMPARE(prov->modelId, kTones.toStdString());
            QCOMPARE(prov->seed, std::uint64_t(4321));
            QCOMPARE(prov->task, std::string("audio.decode"));
            QCOMPARE(prov->latent.size(), std::size_t(3));
            QCOMPARE(prov->latentBase, p->sound().base);
            QCOMPARE(prov->sliders.at("z[1]"), -1.0);
            const AudioClip back = readAudioFile(path.toStdString());
            QCOMPARE(back.frames(), qint64(8000));
        }
        QCOMPARE(AudioPanel::formatForPath(QStringLiteral("x.WAV"), AudioFileFormat::Wav24), AudioFileFormat::Wav24);
        QCOMPARE(AudioPanel::formatForPath(QStringLiteral("x.oga")), AudioFileFormat::OggVorbis);
        QVERIFY(!AudioPanel::formatForPath(QStringLiteral("x.mp3")).has_value());

        // Start over, then re-open: model, seed, latent and sliders come back.
        QVERIFY(waitForJob(generate(toneParams(0.2), 9)));
        QTRY_VERIFY(p->take() && p->take()->finished() && p->take()->frames() == 3200);
        QString error;
        QVERIFY2(p->openAudioFile(m_files.filePath(QStringLiteral("edit.flac")), &error), qPrintable(error));
        QTRY_VERIFY(!p->isOpeningFile());
        QCOMPARE(p->take()->frames(), qint64(8000));
        const auto reopened = samplesOf(*p->take());
        for (std::size_t i = 0; i < edited.size(); i += 97) QVERIFY(std::abs(reopened[i] - edited[i]) < 1e-5f);
        QCOMPARE(p->sound().modelId, kTones);
        QCOMPARE(p->sound().seed, std::uint64_t(4321));
        QVERIFY(p->sound().editable());
        QCOMPARE(sliders()->values()[1], -1.0);
        QCOMPARE(p->seedEdit()->seed(), std::uint64_t(4321));
        // And the restored sound edits on from there.
        drag(1, 0.0);
        QVERIFY(waitForRenders());
        QTRY_VERIFY(p->take()->finished());
        QVERIFY(samplesOf(*p->take()) != reopened);
    }

    void anOpenedFileFeedsTheTransferTask() {
        AudioPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        QVERIFY(p->selectModel(kTones));
        const QString loop = writeTone(QStringLiteral("loop.wav"), 330.0, 0.8);
        QString error;
        QVERIFY2(p->openAudioFile(loop, &error), qPrintable(error));
        QTRY_VERIFY(!p->isOpeningFile());
        // Shown as opened: 22.05 kHz stereo, not a model's sound.
        QCOMPARE(p->take()->sampleRateHz(), 22050);
        QCOMPARE(p->take()->channels(), 2);
        QCOMPARE(p->take()->frames(), qint64(17640));
        QVERIFY(!p->sound().editable());
        const int transfer = p->taskPicker()->findData(QStringLiteral("audio.transfer"));
        QVERIFY(transfer >= 0);
        p->taskPicker()->setCurrentIndex(transfer);
        p->paramForm()->setValues(toneParams(0.5));
        p->generateButton()->click();
        const JobId id = p->currentJob();
        QVERIFY(waitForJob(id));
        QTRY_VERIFY(p->take() && p->take()->finished() && p->take()->sampleRateHz() == 16000);
        QCOMPARE(p->sound().task, QStringLiteral("audio.transfer"));
        QCOMPARE(p->sound().inputName, QStringLiteral("loop.wav"));
        QVERIFY(p->sound().editable());
        const auto prov = p->exportProvenance();
        QCOMPARE(prov.inputName, std::string("loop.wav"));
    }

    void badFilesGiveMessagesAndThePanelStaysUsable() {
        AudioPanel* p = panel();
        m_window->tabs()->setCurrentWidget(p);
        const QString text = m_files.filePath(QStringLiteral("notes.wav"));
        std::ofstream(text.toStdString()) << "this is not a sound";
        QString error;
        QVERIFY(!p->openAudioFile(text, &error));
        QVERIFY2(error.contains(QStringLiteral("notes.wav")), qPrintable(error));
        QVERIFY(p->banner()->isVisible());
        QVERIFY(!p->openAudioFile(m_files.filePath(QStringLiteral("missing.flac")), &error));
        QVERIFY(!p->openAudioFile(m_files.path(), &error));  // a folder

        // A truncated WAV shows what is there.
        const QString whole = writeTone(QStringLiteral("whole.wav"), 200.0, 1.0, 16000, 1);
        std::ifstream in(whole.toStdString(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const QString cut = m_files.filePath(QStringLiteral("cut.wav"));
        std::ofstream(cut.toStdString(), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        QVERIFY2(p->openAudioFile(cut, &error), qPrintable(error));
        QTRY_VERIFY(!p->isOpeningFile());
        QVERIFY(p->take()->frames() > 7000 && p->take()->frames() < 9000);

        // Nothing to export before a sound exists is refused with a reason.
        QVERIFY(waitForJob(generate(toneParams(0.2))));
        QTRY_VERIFY(p->take() && p->take()->finished());
        QVERIFY(!p->exportAudioFile(m_files.filePath(QStringLiteral("nope/x.flac")), AudioFileFormat::Flac16, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(tst_AudioPanel)
#include "tst_AudioPanel.moc"
