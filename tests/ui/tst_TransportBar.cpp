// The transport bar: time formatting, play/pause and its Space shortcut,
// stop, loop and A/B, the peak meter in dBFS, and the wiring to a player
// with no audio device (play disabled, the reason in its tooltip).
//
// With LATENT_SCREENSHOT_DIR set, it also saves transport-bar-{light,dark}.png there.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QVBoxLayout>
#include <QtTest>

#include "UiTestSupport.h"
#include "app/Theme.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "audio/LevelMeter.h"
#include "audio/PianoKeyboard.h"
#include "audio/TransportBar.h"
#include "latent/Chunk.h"

using namespace latent;

class tst_TransportBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void formatsMinutesSecondsMilliseconds() {
        QCOMPARE(TransportBar::formatTime(0, 48000), QStringLiteral("0:00.000"));
        QCOMPARE(TransportBar::formatTime(48000 * 62 + 345 * 48, 48000), QStringLiteral("1:02.345"));
        QCOMPARE(TransportBar::formatTime(44100LL * 3600, 44100), QStringLiteral("60:00.000"));
        QCOMPARE(TransportBar::formatTime(1000, 0), QStringLiteral("0:00.000"));
    }

    void playPauseFollowsTheState() {
        TransportBar bar;
        QSignalSpy play(&bar, &TransportBar::playRequested);
        QSignalSpy pause(&bar, &TransportBar::pauseRequested);
        QSignalSpy stop(&bar, &TransportBar::stopRequested);
        QCOMPARE(bar.playPauseAction()->shortcut(), QKeySequence(Qt::Key_Space));
        bar.playPauseAction()->trigger();
        QCOMPARE(play.count(), 1);
        bar.setPlaying(true);
        QVERIFY(bar.playPauseAction()->toolTip().contains(QLatin1String("Pause")));
        bar.playPauseAction()->trigger();
        QCOMPARE(pause.count(), 1);
        bar.stopAction()->trigger();
        QCOMPARE(stop.count(), 1);
    }

    void spacePlaysWhileFocusIsInTheBar() {
        QWidget window;
        auto* bar = new TransportBar(&window);
        auto* layout = new QVBoxLayout(&window);
        layout->addWidget(bar);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        bar->setFocus();
        QSignalSpy play(bar, &TransportBar::playRequested);
        QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : bar, Qt::Key_Space);
        QTRY_COMPARE(play.count(), 1);
    }

    void loopAndCompareToggle() {
        TransportBar bar;
        QSignalSpy loop(&bar, &TransportBar::loopToggled);
        QSignalSpy compare(&bar, &TransportBar::compareToggled);
        bar.loopAction()->trigger();
        QVERIFY(bar.isLoopChecked());
        QCOMPARE(loop.count(), 1);
        QVERIFY(!bar.compareAction()->isEnabled());  // no previous take yet
        bar.setCompareAvailable(true);
        bar.compareAction()->trigger();
        QVERIFY(bar.isCompareChecked());
        QCOMPARE(compare.last().at(0).toBool(), true);
        bar.setCompareAvailable(false);  // gone: unchecks
        QVERIFY(!bar.isCompareChecked());
    }

    void timeLabelShowsPositionAndDuration() {
        TransportBar bar;
        bar.setSampleRate(48000);
        bar.setDuration(48000 * 5);
        bar.setPosition(48000 + 24000);
        QCOMPARE(bar.timeText(), QStringLiteral("0:01.500 / 0:05.000"));
    }

    void meterReadsDbfsAndHoldsThePeak() {
        QCOMPARE(LevelMeter::toDb(0.0f), LevelMeter::kFloorDb);
        QCOMPARE(LevelMeter::toDb(1.0f), 0.0);
        QVERIFY(std::abs(LevelMeter::toDb(0.5f) + 6.0206) < 1e-3);
        TransportBar bar;
        auto* label = bar.findChild<QLabel*>(QStringLiteral("transportPeak"));
        QVERIFY(label);
        bar.setLevel(0.5f);
        QVERIFY(std::abs(bar.meter()->levelDb() + 6.02) < 0.1);
        QVERIFY(std::abs(bar.meter()->peakHoldDb() + 6.02) < 0.01);
        QCOMPARE(label->text(), QStringLiteral("\u22126.0 dB"));
        bar.setLevel(0.1f);  // lower: the hold stays
        QVERIFY(std::abs(bar.meter()->peakHoldDb() + 6.02) < 0.01);
        QVERIFY(!bar.meter()->clipped());
        bar.setLevel(1.0f);
        QVERIFY(bar.meter()->clipped());
        bar.meter()->reset();
        QCOMPARE(bar.meter()->peakHoldDb(), LevelMeter::kFloorDb);
        QCOMPARE(label->text(), QStringLiteral("\u2212\u221e dB"));
    }

    void attachedToAPlayerWithoutADevice() {
        AudioPlayer player{QAudioDevice()};
        TransportBar bar;
        bar.attach(&player);
        QVERIFY(!bar.playPauseAction()->isEnabled());
        QCOMPARE(bar.playPauseAction()->toolTip(), AudioPlayer::noDeviceMessage());
        auto take = std::make_shared<AudioTake>(8000, 1);
        QVERIFY(take->appendSamples(0, std::vector<float>(16000, 0.1f).data(), 16000));
        player.setTake(take);
        player.seek(4000);
        QCOMPARE(bar.timeText(), QStringLiteral("0:00.500 / 0:02.000"));
        bar.stopAction()->trigger();  // back to the beginning
        QCOMPARE(bar.position(), 0);
    }

    void screenshots() {
        const QString dir = qEnvironmentVariable("LATENT_SCREENSHOT_DIR");
        if (dir.isEmpty()) QSKIP("set LATENT_SCREENSHOT_DIR to save screenshots");
        QDir().mkpath(dir);
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            QWidget panel;
            panel.setAutoFillBackground(true);
            auto* layout = new QVBoxLayout(&panel);
            layout->setContentsMargins(8, 8, 8, 8);
            auto* bar = new TransportBar(&panel);
            bar->setSampleRate(48000);
            bar->setDuration(48000 * 12 + 480 * 31);
            bar->setPosition(48000 * 4 + 48 * 217);
            bar->setPlaying(true);
            bar->setLoopChecked(true);
            bar->setCompareAvailable(true);
            bar->setLevel(0.42f);
            layout->addWidget(bar);
            auto* kb = new PianoKeyboard(&panel);
            kb->setFixedHeight(110);
            kb->setCurrentPitch(69);
            layout->addWidget(kb);
            panel.resize(900, 170);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            kb->setFocus();
            QTest::keyPress(kb, Qt::Key_A);
            QTest::keyPress(kb, Qt::Key_G);
            bar->setLevel(0.42f);
            QVERIFY(panel.grab().save(dir + QStringLiteral("/transport-bar-%1.png").arg(themeName(theme))));
        }
    }
};

QTEST_MAIN(tst_TransportBar)
#include "tst_TransportBar.moc"
