// The on-screen piano: clicks land on the right key (black keys over white),
// velocity follows where the key is struck, drags glide, computer keys play
// like a DAW's (A = C of the current octave, Z/X shift octaves) and nothing
// stays stuck when focus leaves.
//
// With LATENT_SCREENSHOT_DIR set, it also saves piano-keyboard-{light,dark}.png there.
#include <QApplication>
#include <QDir>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QtTest>

#include "UiTestSupport.h"
#include "app/Theme.h"
#include "audio/PianoKeyboard.h"

using namespace latent;

namespace {
void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons) {
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

// A point on the white key `midi` below the black keys.
QPointF lowOnKey(const PianoKeyboard& kb, int midi) {
    const QRectF r = kb.keyRect(midi);
    return {r.center().x(), r.bottom() - 4};
}
}  // namespace

class tst_PianoKeyboard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void namesAndKeyColours() {
        QCOMPARE(PianoKeyboard::noteName(60), QStringLiteral("C4"));
        QCOMPARE(PianoKeyboard::noteName(61), QStringLiteral("C#4"));
        QCOMPARE(PianoKeyboard::noteName(21), QStringLiteral("A0"));
        QCOMPARE(PianoKeyboard::noteName(0), QStringLiteral("C-1"));
        QVERIFY(PianoKeyboard::noteName(128).isEmpty());
        QVERIFY(PianoKeyboard::isBlackKey(61));
        QVERIFY(PianoKeyboard::isBlackKey(70));
        QVERIFY(!PianoKeyboard::isBlackKey(64));
        QVERIFY(!PianoKeyboard::isBlackKey(65));
        QCOMPARE(PianoKeyboard::computerKeyOffset(Qt::Key_A), 0);
        QCOMPARE(PianoKeyboard::computerKeyOffset(Qt::Key_K), 12);
        QCOMPARE(PianoKeyboard::computerKeyOffset(Qt::Key_Space), -1);
    }

    void rangeDefaultsAndWidensToWhiteKeys() {
        PianoKeyboard kb;
        QCOMPARE(kb.lowNote(), 36);
        QCOMPARE(kb.highNote(), 84);
        kb.setRange(37, 82);  // C#2 .. A#5
        QCOMPARE(kb.lowNote(), 36);
        QCOMPARE(kb.highNote(), 83);
        kb.setRange(200, -5);
        QCOMPARE(kb.lowNote(), 0);
        QCOMPARE(kb.highNote(), 127);
    }

    void clickOnAKeyEmitsItsNote() {
        PianoKeyboard kb;
        kb.resize(580, 100);
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QSignalSpy released(&kb, &PianoKeyboard::noteReleased);
        for (int note : {36, 60, 64, 71, 84}) {
            QTest::mouseClick(&kb, Qt::LeftButton, Qt::NoModifier, lowOnKey(kb, note).toPoint());
            QCOMPARE(pressed.count(), 1);
            QCOMPARE(pressed.takeFirst().at(0).toInt(), note);
            QCOMPARE(released.count(), 1);
            QCOMPARE(released.takeFirst().at(0).toInt(), note);
        }
        QVERIFY(kb.heldNotes().empty());
        QCOMPARE(kb.noteAt(QPointF(kb.width() / 2.0, 2)), -1);  // the case above the keys
    }

    void blackKeysAreHitOverTheWhiteOnes() {
        PianoKeyboard kb;
        kb.resize(580, 100);
        for (int black : {37, 61, 63, 66, 68, 70, 82}) {
            const QRectF r = kb.keyRect(black);
            QVERIFY(!r.isEmpty());
            QCOMPARE(kb.noteAt(r.center()), black);
            QCOMPARE(kb.noteAt(r.topLeft() + QPointF(1, 1)), black);
            // Just below the black key the white key under it answers.
            const int under = kb.noteAt(QPointF(r.center().x(), r.bottom() + 3));
            QVERIFY(under == black - 1 || under == black + 1);
            QVERIFY(!PianoKeyboard::isBlackKey(under));
        }
        // Beside C#4, up high, is still C4 and D4.
        const QRectF cs = kb.keyRect(61);
        QCOMPARE(kb.noteAt(QPointF(cs.left() - 2, cs.center().y())), 60);
        QCOMPARE(kb.noteAt(QPointF(cs.right() + 2, cs.center().y())), 62);
        // And a real click lands on it.
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QTest::mouseClick(&kb, Qt::LeftButton, Qt::NoModifier, kb.keyRect(66).center().toPoint());
        QCOMPARE(pressed.count(), 1);
        QCOMPARE(pressed.at(0).at(0).toInt(), 66);
    }

    void velocityFollowsWhereTheKeyIsStruck() {
        PianoKeyboard kb;
        kb.resize(580, 100);
        const QRectF r = kb.keyRect(60);
        const int soft = kb.velocityAt(60, QPointF(r.center().x(), r.top() + 1));
        const int loud = kb.velocityAt(60, QPointF(r.center().x(), r.bottom() - 1));
        QVERIFY(soft >= 1 && soft < 10);
        QVERIFY(loud > 120 && loud <= 127);
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QTest::mousePress(&kb, Qt::LeftButton, Qt::NoModifier, QPoint(int(r.center().x()), int(r.bottom() - 1)));
        QVERIFY(pressed.at(0).at(1).toInt() > 120);
        QTest::mouseRelease(&kb, Qt::LeftButton, Qt::NoModifier, QPoint(int(r.center().x()), int(r.bottom() - 1)));
    }

    void dragPlaysAGlissando() {
        PianoKeyboard kb;
        kb.resize(580, 100);
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QSignalSpy released(&kb, &PianoKeyboard::noteReleased);
        sendMouse(&kb, QEvent::MouseButtonPress, lowOnKey(kb, 60), Qt::LeftButton, Qt::LeftButton);
        sendMouse(&kb, QEvent::MouseMove, lowOnKey(kb, 60) + QPointF(1, 0), Qt::NoButton, Qt::LeftButton);
        QCOMPARE(pressed.count(), 1);  // the same key: no retrigger
        sendMouse(&kb, QEvent::MouseMove, lowOnKey(kb, 62), Qt::NoButton, Qt::LeftButton);
        sendMouse(&kb, QEvent::MouseMove, lowOnKey(kb, 64), Qt::NoButton, Qt::LeftButton);
        sendMouse(&kb, QEvent::MouseButtonRelease, lowOnKey(kb, 64), Qt::LeftButton, Qt::NoButton);
        QCOMPARE(pressed.count(), 3);
        QCOMPARE(pressed.at(1).at(0).toInt(), 62);
        QCOMPARE(pressed.at(2).at(0).toInt(), 64);
        QCOMPARE(released.count(), 3);
        QCOMPARE(released.at(0).at(0).toInt(), 60);
        QCOMPARE(released.at(2).at(0).toInt(), 64);
        QVERIFY(kb.heldNotes().empty());
    }

    void computerKeyAPlaysCOfTheCurrentOctave() {
        PianoKeyboard kb;
        kb.resize(580, 100);
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QSignalSpy released(&kb, &PianoKeyboard::noteReleased);
        QCOMPARE(kb.keyboardOctave(), 4);
        QTest::keyPress(&kb, Qt::Key_A);
        QCOMPARE(pressed.count(), 1);
        QCOMPARE(pressed.at(0).at(0).toInt(), 60);
        QCOMPARE(pressed.at(0).at(1).toInt(), PianoKeyboard::kDefaultVelocity);
        QVERIFY(kb.isNoteHeld(60));
        QTest::keyPress(&kb, Qt::Key_A, Qt::NoModifier);  // a second press while held (auto-repeat): nothing
        QCOMPARE(pressed.count(), 1);
        QTest::keyRelease(&kb, Qt::Key_A);
        QCOMPARE(released.count(), 1);
        QCOMPARE(released.at(0).at(0).toInt(), 60);
        const std::pair<Qt::Key, int> keys[] = {{Qt::Key_W, 61}, {Qt::Key_S, 62}, {Qt::Key_E, 63}, {Qt::Key_D, 64},
                                                {Qt::Key_F, 65}, {Qt::Key_T, 66}, {Qt::Key_G, 67}, {Qt::Key_Y, 68},
                                                {Qt::Key_H, 69}, {Qt::Key_U, 70}, {Qt::Key_J, 71}, {Qt::Key_K, 72}};
        for (const auto& [key, note] : keys) {
            QTest::keyClick(&kb, key);
            QCOMPARE(pressed.last().at(0).toInt(), note);
            QCOMPARE(released.last().at(0).toInt(), note);
        }
        // Shortcuts with Ctrl are left alone.
        QTest::keyClick(&kb, Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(pressed.last().at(0).toInt(), 72);
    }

    void zAndXShiftOctaves() {
        PianoKeyboard kb;
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QSignalSpy octaves(&kb, &PianoKeyboard::keyboardOctaveChanged);
        QTest::keyClick(&kb, Qt::Key_X);
        QCOMPARE(kb.keyboardOctave(), 5);
        QTest::keyClick(&kb, Qt::Key_A);
        QCOMPARE(pressed.last().at(0).toInt(), 72);
        QTest::keyClick(&kb, Qt::Key_Z);
        QTest::keyClick(&kb, Qt::Key_Z);
        QCOMPARE(kb.keyboardOctave(), 3);
        QTest::keyClick(&kb, Qt::Key_A);
        QCOMPARE(pressed.last().at(0).toInt(), 48);
        QCOMPARE(octaves.count(), 3);
        for (int i = 0; i < 20; ++i) QTest::keyClick(&kb, Qt::Key_Z);
        QCOMPARE(kb.keyboardOctave(), -1);
        QTest::keyClick(&kb, Qt::Key_A);
        QCOMPARE(pressed.last().at(0).toInt(), 0);
        for (int i = 0; i < 20; ++i) QTest::keyClick(&kb, Qt::Key_X);
        QCOMPARE(kb.keyboardOctave(), 8);
        QTest::keyClick(&kb, Qt::Key_Apostrophe);  // the top of the mapping: F9
        QCOMPARE(pressed.last().at(0).toInt(), 125);
        // C and V step the velocity.
        QTest::keyClick(&kb, Qt::Key_V);
        QCOMPARE(kb.keyboardVelocity(), 120);
        QTest::keyClick(&kb, Qt::Key_C);
        QTest::keyClick(&kb, Qt::Key_C);
        QCOMPARE(kb.keyboardVelocity(), 80);
    }

    void aKeyReleasesTheNoteItStartedAcrossAnOctaveChange() {
        PianoKeyboard kb;
        QSignalSpy released(&kb, &PianoKeyboard::noteReleased);
        QTest::keyPress(&kb, Qt::Key_A);
        QTest::keyClick(&kb, Qt::Key_X);
        QTest::keyRelease(&kb, Qt::Key_A);
        QCOMPARE(released.count(), 1);
        QCOMPARE(released.at(0).at(0).toInt(), 60);
    }

    void aNoteHeldTwiceSoundsOnce() {
        PianoKeyboard kb;
        kb.resize(580, 100);
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QSignalSpy released(&kb, &PianoKeyboard::noteReleased);
        QTest::keyPress(&kb, Qt::Key_A);
        QTest::mousePress(&kb, Qt::LeftButton, Qt::NoModifier, lowOnKey(kb, 60).toPoint());
        QCOMPARE(pressed.count(), 1);
        QTest::keyRelease(&kb, Qt::Key_A);
        QCOMPARE(released.count(), 0);  // the mouse still holds it
        QTest::mouseRelease(&kb, Qt::LeftButton, Qt::NoModifier, lowOnKey(kb, 60).toPoint());
        QCOMPARE(released.count(), 1);
    }

    void leavingFocusReleasesHeldKeys() {
        QWidget window;
        auto* kb = new PianoKeyboard(&window);
        auto* other = new QWidget(&window);
        other->setFocusPolicy(Qt::StrongFocus);
        window.resize(600, 200);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        kb->setFocus();
        QTRY_VERIFY(kb->hasFocus());
        QSignalSpy released(kb, &PianoKeyboard::noteReleased);
        QTest::keyPress(kb, Qt::Key_A);
        QTest::keyPress(kb, Qt::Key_D);
        QCOMPARE(int(kb->heldNotes().size()), 2);
        other->setFocus();
        QTRY_COMPARE(released.count(), 2);
        QVERIFY(kb->heldNotes().empty());
    }

    void parentsCanForwardKeys() {
        PianoKeyboard kb;
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        QKeyEvent press(QEvent::KeyPress, Qt::Key_G, Qt::NoModifier, QStringLiteral("g"));
        QVERIFY(kb.handleKeyPress(&press));
        QCOMPARE(pressed.last().at(0).toInt(), 67);
        QKeyEvent space(QEvent::KeyPress, Qt::Key_Space, Qt::NoModifier, QStringLiteral(" "));
        QVERIFY(!kb.handleKeyPress(&space));  // the transport's
        QKeyEvent release(QEvent::KeyRelease, Qt::Key_G, Qt::NoModifier, QStringLiteral("g"));
        QVERIFY(kb.handleKeyRelease(&release));
        QVERIFY(kb.heldNotes().empty());
    }

    void externalNotesAndCurrentPitchShowWithoutSignals() {
        PianoKeyboard kb;
        QSignalSpy pressed(&kb, &PianoKeyboard::notePressed);
        kb.setNoteActive(64, true);
        kb.setCurrentPitch(69);
        QCOMPARE(kb.currentPitch(), 69);
        kb.setCurrentPitch(300);
        QCOMPARE(kb.currentPitch(), -1);
        QCOMPARE(pressed.count(), 0);
        QVERIFY(!kb.isNoteHeld(64));
        QVERIFY(!kb.accessibleName().isEmpty());
        QVERIFY(!kb.toolTip().isEmpty());
    }

    void screenshots() {
        const QString dir = qEnvironmentVariable("LATENT_SCREENSHOT_DIR");
        if (dir.isEmpty()) QSKIP("set LATENT_SCREENSHOT_DIR to save screenshots");
        QDir().mkpath(dir);
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            PianoKeyboard kb;
            kb.resize(kb.sizeHint().width() + 120, 110);
            kb.setCurrentPitch(69);
            kb.setNoteActive(64, true);
            QTest::keyPress(&kb, Qt::Key_A);  // C4 held
            QTest::keyPress(&kb, Qt::Key_T);  // F#4 held
            kb.setFocus();
            QVERIFY(kb.grab().save(dir + QStringLiteral("/piano-keyboard-%1.png").arg(themeName(theme))));
        }
    }
};

QTEST_MAIN(tst_PianoKeyboard)
#include "tst_PianoKeyboard.moc"
