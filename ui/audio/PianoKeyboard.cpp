#include "audio/PianoKeyboard.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace latent {

namespace {
constexpr double kBlackWidth = 0.60;   // of a white key
constexpr double kBlackHeight = 0.63;  // of the keys' height
const QColor kPitchColour(0xe0, 0x9a, 0x1a);  // amber: the app's audio colour (icons/audio.svg), brighter

// Where a black key's centre sits, in white-key widths from the line
// between the white keys around it (as on a real keyboard, C# and D# lean
// apart, F# and A# lean out of their group of three).
double blackOffset(int pitchClass) {
    switch (pitchClass) {
    case 1: return -0.07;
    case 3: return 0.07;
    case 6: return -0.09;
    case 8: return 0.0;
    case 10: return 0.09;
    default: return 0.0;
    }
}

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t),
                            float(a.alphaF() + (b.alphaF() - a.alphaF()) * t));
}

const char* const kComputerKeyNames[] = {"A", "W", "S", "E", "D", "F", "T", "G", "Y",
                                         "H", "U", "J", "K", "O", "L", "P", ";", "'"};
}  // namespace

PianoKeyboard::PianoKeyboard(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("pianoKeyboard"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Piano keyboard"));
    setAccessibleDescription(
        tr("Click or drag to play notes; with the keyboard focused, keys A to K play an octave, Z and X change the "
           "octave, C and V the velocity"));
    setToolTip(tr("Click or drag to play. Computer keys A W S E D F T G Y H U J K play an octave; Z/X: octave "
                  "down/up; C/V: velocity down/up"));
    layoutKeys();
}

QString PianoKeyboard::noteName(int midi) {
    static const char* const names[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    if (midi < 0 || midi > 127) return {};
    return QStringLiteral("%1%2").arg(QLatin1String(names[midi % 12])).arg(midi / 12 - 1);
}

bool PianoKeyboard::isBlackKey(int midi) {
    const int pc = ((midi % 12) + 12) % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

int PianoKeyboard::computerKeyOffset(int qtKey) {
    switch (qtKey) {
    case Qt::Key_A: return 0;
    case Qt::Key_W: return 1;
    case Qt::Key_S: return 2;
    case Qt::Key_E: return 3;
    case Qt::Key_D: return 4;
    case Qt::Key_F: return 5;
    case Qt::Key_T: return 6;
    case Qt::Key_G: return 7;
    case Qt::Key_Y: return 8;
    case Qt::Key_H: return 9;
    case Qt::Key_U: return 10;
    case Qt::Key_J: return 11;
    case Qt::Key_K: return 12;
    case Qt::Key_O: return 13;
    case Qt::Key_L: return 14;
    case Qt::Key_P: return 15;
    case Qt::Key_Semicolon: return 16;
    case Qt::Key_Apostrophe: return 17;
    default: return -1;
    }
}

void PianoKeyboard::setRange(int lowMidi, int highMidi) {
    lowMidi = std::clamp(lowMidi, 0, 127);
    highMidi = std::clamp(highMidi, 0, 127);
    if (highMidi < lowMidi) std::swap(lowMidi, highMidi);
    while (isBlackKey(lowMidi)) --lowMidi;   // 0 (C-1) is white
    while (isBlackKey(highMidi)) ++highMidi;  // 127 (G9) is white
    if (lowMidi == m_low && highMidi == m_high) return;
    m_low = lowMidi;
    m_high = highMidi;
    m_hover = -1;
    layoutKeys();
    updateGeometry();
    update();
}

void PianoKeyboard::setCurrentPitch(int midi) {
    if (midi < 0 || midi > 127) midi = -1;
    if (midi == m_currentPitch) return;
    m_currentPitch = midi;
    update();
}

void PianoKeyboard::setNoteActive(int midi, bool active) {
    if (midi < 0 || midi > 127 || m_external[std::size_t(midi)] == active) return;
    m_external[std::size_t(midi)] = active;
    update();
}

bool PianoKeyboard::isNoteHeld(int midi) const { return midi >= 0 && midi <= 127 && m_holds[std::size_t(midi)] > 0; }

std::vector<int> PianoKeyboard::heldNotes() const {
    std::vector<int> notes;
    for (int n = 0; n < 128; ++n)
        if (m_holds[std::size_t(n)] > 0) notes.push_back(n);
    return notes;
}

void PianoKeyboard::releaseAll() {
    m_keyNotes.clear();
    m_mouseNote = -1;
    for (int n = 0; n < 128; ++n) {
        if (m_holds[std::size_t(n)] > 0) {
            m_holds[std::size_t(n)] = 0;
            Q_EMIT noteReleased(n);
        }
    }
    update();
}

void PianoKeyboard::setKeyboardOctave(int octave) {
    octave = std::clamp(octave, -1, 8);  // A..' stays within MIDI 0..127
    if (octave == m_octave) return;
    m_octave = octave;
    update();
    Q_EMIT keyboardOctaveChanged(octave);
}

void PianoKeyboard::setKeyboardVelocity(int velocity) {
    velocity = std::clamp(velocity, 1, 127);
    if (velocity == m_velocity) return;
    m_velocity = velocity;
    Q_EMIT keyboardVelocityChanged(velocity);
}

QSize PianoKeyboard::sizeHint() const {
    int white = 0;
    for (int n = m_low; n <= m_high; ++n) white += isBlackKey(n) ? 0 : 1;
    return {white * 20 + 2, 96};
}

QSize PianoKeyboard::minimumSizeHint() const {
    int white = 0;
    for (int n = m_low; n <= m_high; ++n) white += isBlackKey(n) ? 0 : 1;
    return {white * 8 + 2, 56};
}

void PianoKeyboard::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layoutKeys();
}

void PianoKeyboard::layoutKeys() {
    m_keysRect = QRectF(rect()).adjusted(1, kTopStrip, -1, -1);
    m_rects.assign(std::size_t(m_high - m_low + 1), QRectF());
    int white = 0;
    for (int n = m_low; n <= m_high; ++n) white += isBlackKey(n) ? 0 : 1;
    if (white == 0 || m_keysRect.width() <= 0) return;
    const double w = m_keysRect.width() / white;
    const double left = m_keysRect.left();
    // White key edges on whole pixels, so the gaps between them stay crisp.
    auto edge = [&](int i) { return std::round(left + i * w); };
    int i = 0;
    for (int n = m_low; n <= m_high; ++n) {
        if (isBlackKey(n)) continue;
        m_rects[std::size_t(n - m_low)] = QRectF(QPointF(edge(i), m_keysRect.top()),
                                                 QPointF(edge(i + 1), m_keysRect.bottom()));
        ++i;
    }
    const double bw = std::max(3.0, std::round(w * kBlackWidth));
    const double bh = std::round(m_keysRect.height() * kBlackHeight);
    for (int n = m_low; n <= m_high; ++n) {
        if (!isBlackKey(n)) continue;
        const QRectF& before = m_rects[std::size_t(n - 1 - m_low)];  // a black key always has a white key below
        const double centre = before.right() + blackOffset(n % 12) * w;
        m_rects[std::size_t(n - m_low)] = QRectF(std::round(centre - bw / 2), m_keysRect.top(), bw, bh);
    }
}

QRectF PianoKeyboard::keyRect(int midi) const {
    return inRange(midi) ? m_rects[std::size_t(midi - m_low)] : QRectF();
}

int PianoKeyboard::noteAt(QPointF pos) const {
    if (!m_keysRect.contains(pos) && !(pos.y() >= m_keysRect.top() && pos.y() <= m_keysRect.bottom() + 1)) return -1;
    for (int n = m_low; n <= m_high; ++n)  // black keys lie on top
        if (isBlackKey(n) && m_rects[std::size_t(n - m_low)].contains(pos)) return n;
    for (int n = m_low; n <= m_high; ++n) {
        if (isBlackKey(n)) continue;
        const QRectF& r = m_rects[std::size_t(n - m_low)];
        if (pos.x() >= r.left() && pos.x() < r.right() && pos.y() >= r.top() && pos.y() <= r.bottom() + 1) return n;
    }
    return -1;
}

int PianoKeyboard::velocityAt(int midi, QPointF pos) const {
    const QRectF r = keyRect(midi);
    if (r.isEmpty()) return m_velocity;
    const double t = std::clamp((pos.y() - r.top()) / r.height(), 0.0, 1.0);
    return std::clamp(int(std::lround(1 + t * 126)), 1, 127);
}

void PianoKeyboard::hold(int midi, int velocity) {
    if (midi < 0 || midi > 127) return;
    if (m_holds[std::size_t(midi)]++ == 0) {
        update();
        Q_EMIT notePressed(midi, std::clamp(velocity, 1, 127));
    }
}

void PianoKeyboard::unhold(int midi) {
    if (midi < 0 || midi > 127 || m_holds[std::size_t(midi)] == 0) return;
    if (--m_holds[std::size_t(midi)] == 0) {
        update();
        Q_EMIT noteReleased(midi);
    }
}

void PianoKeyboard::setHover(int midi) {
    if (midi == m_hover) return;
    m_hover = midi;
    update();
}

void PianoKeyboard::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    const int n = noteAt(event->position());
    if (m_mouseNote >= 0) unhold(m_mouseNote);
    m_mouseNote = n;
    if (n >= 0) hold(n, velocityAt(n, event->position()));
    event->accept();
}

void PianoKeyboard::mouseMoveEvent(QMouseEvent* event) {
    const int n = noteAt(event->position());
    setHover(n);
    if (!(event->buttons() & Qt::LeftButton) || n == m_mouseNote) return;
    // Glissando: the drag leaves one key for the next.
    if (m_mouseNote >= 0) unhold(m_mouseNote);
    m_mouseNote = n;
    if (n >= 0) hold(n, velocityAt(n, event->position()));
}

void PianoKeyboard::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    if (m_mouseNote >= 0) unhold(m_mouseNote);
    m_mouseNote = -1;
}

void PianoKeyboard::leaveEvent(QEvent* event) {
    setHover(-1);
    QWidget::leaveEvent(event);
}

bool PianoKeyboard::handleKeyPress(QKeyEvent* event) {
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return false;
    const int key = event->key();
    const int offset = computerKeyOffset(key);
    if (offset >= 0) {
        if (event->isAutoRepeat() || m_keyNotes.count(key)) return true;  // held: no retrigger
        const int note = (m_octave + 1) * 12 + offset;
        if (note > 127) return true;
        m_keyNotes[key] = note;
        hold(note, m_velocity);
        return true;
    }
    if (event->isAutoRepeat() && (key == Qt::Key_Z || key == Qt::Key_X)) return true;
    switch (key) {
    case Qt::Key_Z: setKeyboardOctave(m_octave - 1); return true;
    case Qt::Key_X: setKeyboardOctave(m_octave + 1); return true;
    case Qt::Key_C: setKeyboardVelocity(m_velocity <= 20 ? 1 : m_velocity - 20); return true;
    case Qt::Key_V: setKeyboardVelocity(m_velocity == 1 ? 20 : m_velocity + 20); return true;
    default: return false;
    }
}

bool PianoKeyboard::handleKeyRelease(QKeyEvent* event) {
    const int key = event->key();
    if (computerKeyOffset(key) < 0) return key == Qt::Key_Z || key == Qt::Key_X || key == Qt::Key_C || key == Qt::Key_V;
    if (event->isAutoRepeat()) return true;
    const auto it = m_keyNotes.find(key);
    if (it == m_keyNotes.end()) return true;
    const int note = it->second;  // the note it started, even if the octave changed since
    m_keyNotes.erase(it);
    unhold(note);
    return true;
}

void PianoKeyboard::keyPressEvent(QKeyEvent* event) {
    if (!handleKeyPress(event)) QWidget::keyPressEvent(event);
}

void PianoKeyboard::keyReleaseEvent(QKeyEvent* event) {
    if (!handleKeyRelease(event)) QWidget::keyReleaseEvent(event);
}

void PianoKeyboard::focusInEvent(QFocusEvent* event) {
    update();
    QWidget::focusInEvent(event);
}

void PianoKeyboard::focusOutEvent(QFocusEvent* event) {
    // A key released elsewhere would otherwise leave its note stuck.
    for (const auto& [key, note] : m_keyNotes) unhold(note);
    m_keyNotes.clear();
    update();
    QWidget::focusOutEvent(event);
}

QString PianoKeyboard::keyToolTip(int midi) const {
    QString text = tr("%1 · MIDI %2").arg(noteName(midi)).arg(midi);
    const int offset = midi - (m_octave + 1) * 12;
    if (offset >= 0 && offset < int(std::size(kComputerKeyNames)))
        text += tr(" · key %1").arg(QLatin1String(kComputerKeyNames[offset]));
    return text;
}

bool PianoKeyboard::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int n = noteAt(help->pos());
        if (n >= 0) {
            QToolTip::showText(help->globalPos(), keyToolTip(n) + QLatin1Char('\n') + toolTip(), this,
                               keyRect(n).toAlignedRect());
            return true;
        }
    }
    return QWidget::event(event);
}

void PianoKeyboard::paintWhiteKey(QPainter& p, int midi) const {
    const QRectF r = keyRect(midi).adjusted(0.5, 0, -0.5, 0);
    const QPalette& pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    const bool down = isNoteHeld(midi) || m_external[std::size_t(midi)];
    const QColor accent = pal.color(QPalette::Highlight);
    QColor top = dark ? QColor(0xdc, 0xdd, 0xdf) : QColor(0xf2, 0xf2, 0xf0);
    QColor bottom = dark ? QColor(0xf0, 0xf1, 0xf2) : QColor(0xff, 0xff, 0xff);
    if (down) {
        top = mix(accent, Qt::white, 0.55);
        bottom = mix(accent, Qt::white, 0.30);
    } else if (midi == m_hover) {
        top = mix(top, accent, 0.10);
        bottom = mix(bottom, accent, 0.14);
    }
    const double radius = std::min(4.0, r.width() * 0.18);
    const double lip = down ? 2.0 : std::max(3.0, std::round(r.height() * 0.06));  // the front edge
    QPainterPath body;
    body.addRoundedRect(r.adjusted(0, -radius, 0, 0), radius, radius);
    p.save();
    p.setClipRect(r);
    QLinearGradient g(r.topLeft(), r.bottomLeft());
    g.setColorAt(0.0, top);
    g.setColorAt(1.0, bottom);
    p.fillPath(body, g);
    // The front edge, a shade darker, as if seen from slightly above.
    QPainterPath front;
    front.addRoundedRect(QRectF(r.left() + 1, r.bottom() - lip - radius, r.width() - 2, lip + radius), radius, radius);
    p.fillPath(front, mix(bottom, QColor(0x80, 0x84, 0x8a), down ? 0.18 : 0.22));
    p.fillRect(QRectF(r.left() + 1, r.bottom() - lip - radius, r.width() - 2, radius),
               mix(top, bottom, 0.9));
    // A shade under the case at the top, deeper when the key is down.
    QLinearGradient shade(r.topLeft(), r.topLeft() + QPointF(0, down ? 10 : 6));
    shade.setColorAt(0.0, QColor(0, 0, 0, down ? 90 : 60));
    shade.setColorAt(1.0, QColor(0, 0, 0, 0));
    p.fillRect(QRectF(r.left(), r.top(), r.width(), 10), shade);
    p.restore();
    // The gap to the neighbour.
    p.setPen(QPen(dark ? QColor(0x4a, 0x4d, 0x52) : QColor(0x9a, 0x9e, 0xa5), 1.0));
    p.setBrush(Qt::NoBrush);
    p.drawPath(body.intersected([&] {
        QPainterPath clip;
        clip.addRect(r.adjusted(-1, 0, 1, 1));
        return clip;
    }()));

    // The note name on C keys, and the current pitch.
    const double labelBottom = r.bottom() - lip - 3;
    if (midi % 12 == 0 && r.width() >= 11) {
        QFont f = font();
        f.setPixelSize(int(std::clamp(r.width() * 0.42, 8.0, 11.0)));
        f.setWeight(QFont::DemiBold);
        p.setFont(f);
        p.setPen(down ? mix(accent, Qt::black, 0.45) : QColor(0x6e, 0x73, 0x7b));
        const QRectF label(r.left(), labelBottom - 14, r.width(), 14);
        p.drawText(label, Qt::AlignHCenter | Qt::AlignBottom, noteName(midi));
    }
    if (midi == m_currentPitch) {
        const double w = std::max(4.0, r.width() * 0.5);
        const double y = midi % 12 == 0 && r.width() >= 11 ? labelBottom - 22 : labelBottom - 6;
        p.setPen(Qt::NoPen);
        p.setBrush(kPitchColour);
        p.drawRoundedRect(QRectF(r.center().x() - w / 2, y, w, 5), 2.5, 2.5);
    }
}

void PianoKeyboard::paintBlackKey(QPainter& p, int midi) const {
    const QRectF r = keyRect(midi);
    const QPalette& pal = palette();
    const bool down = isNoteHeld(midi) || m_external[std::size_t(midi)];
    const QColor accent = pal.color(QPalette::Highlight);
    const double radius = std::min(3.0, r.width() * 0.2);

    // A soft shadow on the white keys, to the right and below.
    p.setPen(Qt::NoPen);
    for (int i = 3; i >= 1; --i) {
        p.setBrush(QColor(0, 0, 0, down ? 18 : 26));
        p.drawRoundedRect(r.adjusted(0, 0, i * (down ? 0.6 : 1.0), i * (down ? 0.6 : 1.3)), radius + i, radius + i);
    }

    QColor top(0x30, 0x32, 0x36), bottom(0x0e, 0x0f, 0x11);
    if (down) {
        top = mix(accent, Qt::black, 0.35);
        bottom = mix(accent, Qt::black, 0.62);
    } else if (midi == m_hover) {
        top = QColor(0x46, 0x49, 0x4f);
        bottom = QColor(0x1c, 0x1e, 0x21);
    }
    QPainterPath body;
    body.addRoundedRect(r.adjusted(0, -radius, 0, 0), radius, radius);
    p.save();
    p.setClipRect(r.adjusted(-1, 0, 1, 1));
    QLinearGradient g(r.topLeft(), r.bottomLeft());
    g.setColorAt(0.0, bottom);
    g.setColorAt(0.15, top);
    g.setColorAt(1.0, bottom);
    p.fillPath(body, g);
    // The key's top face, lighter and shorter than the body: its slope toward the player.
    const double face = down ? r.height() * 0.06 : r.height() * 0.13;
    const QRectF faceRect = r.adjusted(r.width() * 0.12, 0, -r.width() * 0.12, -face);
    QLinearGradient fg(faceRect.topLeft(), faceRect.bottomLeft());
    fg.setColorAt(0.0, mix(top, bottom, 0.6));
    fg.setColorAt(0.85, top.lighter(down ? 115 : 125));
    fg.setColorAt(1.0, top.lighter(down ? 130 : 160));
    QPainterPath facePath;
    facePath.addRoundedRect(faceRect.adjusted(0, -radius, 0, 0), radius * 0.8, radius * 0.8);
    p.fillPath(facePath, fg);
    p.restore();
    p.setPen(QPen(QColor(0, 0, 0, 200), 1.0));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r.adjusted(0.5, -radius, -0.5, -0.5), radius, radius);

    if (midi == m_currentPitch) {
        const double w = std::max(3.0, r.width() * 0.55);
        p.setPen(Qt::NoPen);
        p.setBrush(kPitchColour);
        p.drawRoundedRect(QRectF(r.center().x() - w / 2, r.bottom() - face - 8, w, 4), 2, 2);
    }
}

void PianoKeyboard::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;

    // The case: a dark frame with a felt strip along the top.
    const QColor caseColour = dark ? QColor(0x15, 0x16, 0x18) : QColor(0x2b, 0x2d, 0x31);
    p.fillRect(rect(), caseColour);
    QLinearGradient felt(0, 0, 0, kTopStrip);
    felt.setColorAt(0.0, caseColour.lighter(150));
    felt.setColorAt(0.6, caseColour);
    felt.setColorAt(1.0, QColor(0x05, 0x05, 0x06));
    p.fillRect(QRectF(0, 0, width(), kTopStrip), felt);

    for (int n = m_low; n <= m_high; ++n)
        if (!isBlackKey(n)) paintWhiteKey(p, n);
    for (int n = m_low; n <= m_high; ++n)
        if (isBlackKey(n)) paintBlackKey(p, n);

    // Which keys the computer keyboard plays: a line in the strip, bright with focus.
    const int base = (m_octave + 1) * 12;
    const int lastMapped = std::min(base + int(std::size(kComputerKeyNames)) - 1, 127);
    const int from = std::max(base, m_low), to = std::min(lastMapped, m_high);
    if (from <= to) {
        const double x0 = keyRect(from).left() + 2, x1 = keyRect(to).right() - 2;
        QColor c = pal.color(QPalette::Highlight);
        if (!hasFocus()) c.setAlphaF(0.35f);
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawRoundedRect(QRectF(x0, 2, std::max(2.0, x1 - x0), 3), 1.5, 1.5);
    }
}

}  // namespace latent
