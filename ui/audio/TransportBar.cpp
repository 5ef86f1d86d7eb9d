#include "audio/TransportBar.h"

#include <QAction>
#include <QFile>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

#include "app/UiResources.h"
#include "audio/AudioPlayer.h"
#include "audio/LevelMeter.h"

namespace latent {

namespace {
// An icon from the app's set, or the style's stand-in where it is missing.
QIcon appIcon(const QWidget* w, const char* name, QStyle::StandardPixmap fallback) {
    const QString path = QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name));
    return QFile::exists(path) ? QIcon(path) : w->style()->standardIcon(fallback);
}

// The set has no loop icon: two arrows chasing round a rounded rectangle,
// drawn in the set's grey (#8a94a6) with its 2 px stroke at 24 px.
QIcon loopIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 24.0, size / 24.0);
        const QColor grey(0x8a, 0x94, 0xa6);
        p.setPen(QPen(grey, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        QPainterPath top;
        top.moveTo(4, 13);
        top.lineTo(4, 10);
        top.quadTo(4, 7, 7, 7);
        top.lineTo(18, 7);
        p.drawPath(top);
        QPainterPath bottom;
        bottom.moveTo(20, 11);
        bottom.lineTo(20, 14);
        bottom.quadTo(20, 17, 17, 17);
        bottom.lineTo(6, 17);
        p.drawPath(bottom);
        p.setBrush(grey);
        p.setPen(QPen(grey, 1.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolygon(QPolygonF({QPointF(16, 3.8), QPointF(20.5, 7), QPointF(16, 10.2)}));
        p.drawPolygon(QPolygonF({QPointF(8, 13.8), QPointF(3.5, 17), QPointF(8, 20.2)}));
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

QFrame* separator(QWidget* parent) {
    auto* line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

QToolButton* button(QAction* action, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    b->setIconSize({20, 20});
    b->setToolButtonStyle(Qt::ToolButtonIconOnly);
    return b;
}
}  // namespace

TransportBar::TransportBar(QWidget* parent) : QWidget(parent) {
    initUiResources();
    setObjectName(QStringLiteral("transportBar"));
    setAccessibleName(tr("Transport"));

    m_playPause = new QAction(this);
    m_playPause->setObjectName(QStringLiteral("playPauseAction"));
    m_playPause->setShortcut(Qt::Key_Space);
    m_playPause->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_playPause, &QAction::triggered, this, [this] {
        if (m_playing)
            Q_EMIT pauseRequested();
        else
            Q_EMIT playRequested();
    });
    m_stop = new QAction(appIcon(this, "stop", QStyle::SP_MediaStop), tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopAction"));
    m_stop->setToolTip(tr("Stop: back to where playing started; again: to the beginning"));
    connect(m_stop, &QAction::triggered, this, &TransportBar::stopRequested);
    m_loop = new QAction(loopIcon(), tr("Loop selection"), this);
    m_loop->setObjectName(QStringLiteral("loopAction"));
    m_loop->setCheckable(true);
    m_loop->setToolTip(tr("Loop the selection while playing"));
    connect(m_loop, &QAction::toggled, this, &TransportBar::loopToggled);
    m_compare = new QAction(tr("A/B"), this);
    m_compare->setObjectName(QStringLiteral("compareAction"));
    m_compare->setCheckable(true);
    m_compare->setEnabled(false);
    m_compare->setToolTip(tr("A/B: compare with the previous take (same position)"));
    connect(m_compare, &QAction::toggled, this, &TransportBar::compareToggled);
    for (QAction* a : {m_playPause, m_stop, m_loop, m_compare}) addAction(a);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    m_playButton = button(m_playPause, this);
    layout->addWidget(m_playButton);
    layout->addWidget(button(m_stop, this));
    layout->addSpacing(4);
    layout->addWidget(separator(this));
    layout->addSpacing(4);
    layout->addWidget(button(m_loop, this));
    auto* ab = button(m_compare, this);
    ab->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QFont abFont = ab->font();
    abFont.setBold(true);
    ab->setFont(abFont);
    ab->setMinimumWidth(ab->sizeHint().height() + 8);
    layout->addWidget(ab);
    layout->addSpacing(4);
    layout->addWidget(separator(this));
    layout->addSpacing(8);

    m_time = new QLabel(this);
    m_time->setObjectName(QStringLiteral("transportTime"));
    m_time->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_time->setToolTip(tr("Position / duration (minutes:seconds.milliseconds)"));
    QFont timeFont = m_time->font();
    timeFont.setPointSizeF(timeFont.pointSizeF() * 1.1);
    timeFont.setWeight(QFont::Medium);
    m_time->setFont(timeFont);
    m_time->setMinimumWidth(QFontMetrics(timeFont).horizontalAdvance(QStringLiteral("00:00.000 / 00:00.000")) + 8);
    layout->addWidget(m_time);
    layout->addStretch(1);

    m_meter = new LevelMeter(this);
    m_meter->setMinimumWidth(120);
    layout->addWidget(m_meter, 0, Qt::AlignVCenter);
    m_db = new QLabel(this);
    m_db->setObjectName(QStringLiteral("transportPeak"));
    m_db->setToolTip(m_meter->toolTip());
    m_db->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_db->setMinimumWidth(QFontMetrics(m_db->font()).horizontalAdvance(QStringLiteral("−60.0 dB")) + 6);
    layout->addWidget(m_db);
    connect(m_meter, &LevelMeter::peakHoldChanged, this, [this](double db) {
        m_db->setText(db <= LevelMeter::kFloorDb ? QStringLiteral("−∞ dB")
                                                 : tr("%1 dB").arg(db, 0, 'f', 1).replace(QLatin1Char('-'), QChar(0x2212)));
    });
    m_db->setText(QStringLiteral("−∞ dB"));

    updatePlayAction();
    updateTimeLabel();
}

QString TransportBar::formatTime(qint64 frame, int sampleRateHz) {
    if (sampleRateHz <= 0 || frame < 0) frame = 0;
    const qint64 ms = sampleRateHz > 0 ? frame * 1000 / sampleRateHz : 0;
    return QStringLiteral("%1:%2.%3")
        .arg(ms / 60000)
        .arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

void TransportBar::attach(AudioPlayer* player) {
    connect(this, &TransportBar::playRequested, player, &AudioPlayer::play);
    connect(this, &TransportBar::pauseRequested, player, &AudioPlayer::pause);
    connect(this, &TransportBar::stopRequested, player, &AudioPlayer::stop);
    connect(player, &AudioPlayer::stateChanged, this,
            [this](AudioPlayer::State s) { setPlaying(s == AudioPlayer::State::Playing); });
    connect(player, &AudioPlayer::positionChanged, this, [this, player](qint64 frame) {
        setSampleRate(player->sampleRateHz());
        setDuration(player->durationFrames());
        setPosition(frame);
    });
    connect(player, &AudioPlayer::levelChanged, this, &TransportBar::setLevel);
    connect(player, &AudioPlayer::availableChanged, this,
            [this, player](bool on) { setPlaybackAvailable(on, player->unavailableReason()); });
    setPlaybackAvailable(player->available(), player->unavailableReason());
    setPlaying(player->isPlaying());
    setSampleRate(player->sampleRateHz());
    setDuration(player->durationFrames());
    setPosition(player->positionFrame());
}

void TransportBar::setPlaying(bool playing) {
    if (playing == m_playing) return;
    m_playing = playing;
    updatePlayAction();
}

void TransportBar::setPlaybackAvailable(bool available, const QString& reason) {
    m_available = available;
    m_unavailableReason = reason;
    updatePlayAction();
}

void TransportBar::updatePlayAction() {
    m_playPause->setIcon(m_playing ? appIcon(this, "pause", QStyle::SP_MediaPause)
                                   : appIcon(this, "generate", QStyle::SP_MediaPlay));
    m_playPause->setText(m_playing ? tr("Pause") : tr("Play"));
    m_playPause->setEnabled(m_available || m_playing);
    m_playPause->setToolTip(m_available ? (m_playing ? tr("Pause (Space)") : tr("Play (Space)"))
                                        : (m_unavailableReason.isEmpty() ? tr("Playback is off") : m_unavailableReason));
}

void TransportBar::setSampleRate(int sampleRateHz) {
    if (sampleRateHz == m_rate) return;
    m_rate = sampleRateHz;
    updateTimeLabel();
}

void TransportBar::setPosition(qint64 frame) {
    if (frame == m_position) return;
    m_position = frame;
    updateTimeLabel();
}

void TransportBar::setDuration(qint64 frames) {
    if (frames == m_duration) return;
    m_duration = frames;
    updateTimeLabel();
}

QString TransportBar::timeText() const { return m_time->text(); }

void TransportBar::updateTimeLabel() {
    m_time->setText(QStringLiteral("%1 / %2").arg(formatTime(m_position, m_rate), formatTime(m_duration, m_rate)));
}

void TransportBar::setLoopEnabled(bool on) { m_loop->setEnabled(on); }
void TransportBar::setLoopChecked(bool on) { m_loop->setChecked(on); }
bool TransportBar::isLoopChecked() const { return m_loop->isChecked(); }

void TransportBar::setCompareAvailable(bool available) {
    m_compare->setEnabled(available);
    if (!available) m_compare->setChecked(false);
}

void TransportBar::setCompareChecked(bool on) { m_compare->setChecked(on); }
bool TransportBar::isCompareChecked() const { return m_compare->isChecked(); }

void TransportBar::setLevel(float peak) { m_meter->setPeak(peak); }

}  // namespace latent
