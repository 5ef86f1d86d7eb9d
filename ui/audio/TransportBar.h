#pragma once
// The Audio panel's transport: play/pause (Space), stop, loop the selection,
// A/B (compare with the previous take), position / duration (m:ss.mmm) and a
// peak meter in dBFS. It shows state and asks for changes through signals;
// attach() wires it to an AudioPlayer in both directions.
//
// The actions carry the shortcuts (Space for play/pause) with
// Qt::WidgetWithChildrenShortcut: they act while focus is inside the bar;
// add playPauseAction() to the panel (QWidget::addAction) to have Space work
// anywhere in it (text fields keep their spaces: they claim the key first).
#include <QWidget>

class QAction;
class QLabel;
class QToolButton;

namespace latent {

class AudioPlayer;
class LevelMeter;

class TransportBar : public QWidget {
    Q_OBJECT
public:
    explicit TransportBar(QWidget* parent = nullptr);

    // "1:02.345" (minutes unbounded), "0:00.000" for a rate <= 0.
    static QString formatTime(qint64 frame, int sampleRateHz);

    // Wires the bar to `player`: buttons drive it, its position, state and
    // level show here. The player must outlive the bar or be destroyed first.
    void attach(AudioPlayer* player);

    void setPlaying(bool playing);
    bool isPlaying() const { return m_playing; }
    void setSampleRate(int sampleRateHz);
    void setPosition(qint64 frame);
    void setDuration(qint64 frames);
    qint64 position() const { return m_position; }
    qint64 duration() const { return m_duration; }
    QString timeText() const;

    // Off: play is disabled and its tooltip says why (no device).
    void setPlaybackAvailable(bool available, const QString& reason = {});
    void setLoopEnabled(bool on);  // whether there is a selection to loop
    void setLoopChecked(bool on);
    bool isLoopChecked() const;
    void setCompareAvailable(bool available);  // a previous take exists
    void setCompareChecked(bool on);
    bool isCompareChecked() const;

    QAction* playPauseAction() const { return m_playPause; }
    QAction* stopAction() const { return m_stop; }
    QAction* loopAction() const { return m_loop; }
    QAction* compareAction() const { return m_compare; }
    LevelMeter* meter() const { return m_meter; }

public Q_SLOTS:
    void setLevel(float peak);  // linear |sample| of what is sounding

Q_SIGNALS:
    void playRequested();
    void pauseRequested();
    void stopRequested();
    void loopToggled(bool on);
    void compareToggled(bool on);

private:
    void updatePlayAction();
    void updateTimeLabel();

    QAction* m_playPause;
    QAction* m_stop;
    QAction* m_loop;
    QAction* m_compare;
    QToolButton* m_playButton;
    QLabel* m_time;
    LevelMeter* m_meter;
    QLabel* m_db;
    bool m_playing = false;
    bool m_available = true;
    QString m_unavailableReason;
    int m_rate = 0;
    qint64 m_position = 0;
    qint64 m_duration = 0;
};

}  // namespace latent
