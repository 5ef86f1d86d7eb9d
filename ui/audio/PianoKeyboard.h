#pragma once
// A horizontal piano keyboard, drawn like an instrument plug-in's: white and
// black keys with depth, note names on the C keys, hover, pressed keys in the
// palette's highlight, and a "current pitch" marker (amber, the app's audio
// colour) for what is sounding.
//
// Playing it: a click (velocity from where on the key: higher up is softer,
// toward the front edge louder, as on a real key) and a drag glissando emit
// notePressed / noteReleased; so do computer keys, laid out as in DAWs:
//   A W S E D F T G Y H U J K O L P ; '  = C C# D D# E F F# G G# A A# B C C# D D# E F
//   Z / X  octave down / up      C / V  velocity down / up
// while the keyboard has focus, or when a parent forwards its key events to
// handleKeyPress / handleKeyRelease. Keys are matched by Qt::Key (the letter
// the layout produces), so on non-QWERTY layouts the letters move.
// A note held by several sources (mouse and a key) sounds once: it is pressed
// on the first and released on the last.
#include <QWidget>

#include <array>
#include <map>
#include <vector>

class QKeyEvent;
class QPainter;

namespace latent {

class PianoKeyboard : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultLow = 36;   // C2
    static constexpr int kDefaultHigh = 84;  // C6
    static constexpr int kDefaultVelocity = 100;

    explicit PianoKeyboard(QWidget* parent = nullptr);

    // "C4" for 60 (scientific pitch: middle C is C4), "F#3" for 54.
    static QString noteName(int midi);
    static bool isBlackKey(int midi);
    // The semitone above the octave's C that a computer key plays (0..17), -1 if none.
    static int computerKeyOffset(int qtKey);

    // The notes shown, widened to begin and end on white keys, within 0..127.
    void setRange(int lowMidi, int highMidi);
    int lowNote() const { return m_low; }
    int highNote() const { return m_high; }

    // The pitch sounding now (e.g. from the playing take), -1 for none.
    void setCurrentPitch(int midi);
    int currentPitch() const { return m_currentPitch; }
    // Shows a note as held by something else (playback, MIDI); emits nothing.
    void setNoteActive(int midi, bool active);
    // Held by this keyboard's mouse or computer keys.
    bool isNoteHeld(int midi) const;
    std::vector<int> heldNotes() const;
    void releaseAll();

    // The octave computer key A plays: 4 makes A = C4 = MIDI 60.
    void setKeyboardOctave(int octave);
    int keyboardOctave() const { return m_octave; }
    void setKeyboardVelocity(int velocity);
    int keyboardVelocity() const { return m_velocity; }

    // Geometry (widget coordinates), for tests and tooltips.
    int noteAt(QPointF pos) const;
    QRectF keyRect(int midi) const;
    int velocityAt(int midi, QPointF pos) const;

    // Key handling a parent can forward to; true when the key was used.
    bool handleKeyPress(QKeyEvent* event);
    bool handleKeyRelease(QKeyEvent* event);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void notePressed(int midi, int velocity);
    void noteReleased(int midi);
    void keyboardOctaveChanged(int octave);
    void keyboardVelocityChanged(int velocity);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    static constexpr int kTopStrip = 7;  // the case above the keys
    void layoutKeys();
    void hold(int midi, int velocity);
    void unhold(int midi);
    void setHover(int midi);
    bool inRange(int midi) const { return midi >= m_low && midi <= m_high; }
    QString keyToolTip(int midi) const;
    void paintWhiteKey(QPainter& p, int midi) const;
    void paintBlackKey(QPainter& p, int midi) const;

    int m_low = kDefaultLow;
    int m_high = kDefaultHigh;
    int m_octave = 4;
    int m_velocity = kDefaultVelocity;
    int m_currentPitch = -1;
    int m_hover = -1;
    int m_mouseNote = -1;
    std::array<int, 128> m_holds{};      // sources holding each note
    std::array<bool, 128> m_external{};  // setNoteActive
    std::map<int, int> m_keyNotes;       // Qt::Key held -> the note it started
    std::vector<QRectF> m_rects;         // per note from m_low
    QRectF m_keysRect;
};

}  // namespace latent
