#pragma once
// Plays a take while it is still being generated: a QAudioSink in pull mode
// reads an AudioTakeDevice over the shared AudioTake, so sound starts with the
// first block and runs on seamlessly as more arrive (silence, counted as an
// underrun, when the generator falls behind; it resumes where it stopped).
// Transport: play, pause, stop (back to where playing started), seek, loop.
//
// Output format: the device's preferred format with the take's rate and
// channel count, Float samples, else Int16; only if the device refuses the
// take's rate does the device convert it (linear interpolation) to the
// preferred rate.
//
// Position: positionFrame() maps QAudioSink::processedUSecs() (the output
// played since the sink started, which PulseAudio reports net of its latency)
// through the device's timeline of output frames -> take frames. So the
// playhead follows what is audible across underruns, loops and rate
// conversion; after a seek it shows the target until the new audio sounds.
//
// Start latency: from the later of "first block appended to the take" and
// "play() pressed" to the first time the sink pulled data holding take
// samples rather than filler. What PulseAudio still buffers after that pull
// (outputBufferMs(), about 100 ms) comes on top; it is reported separately.
//
// No audio device (CI, headless machines): available() is false and play()
// emits error(noDeviceMessage()) instead of playing; seek and the rest still
// work, so the panel around it stays usable. Nothing here blocks or throws.
#include <QAudioDevice>
#include <QAudioFormat>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <cstdint>
#include <memory>

class QAudioSink;
class QMediaDevices;

namespace latent {

class AudioTake;
class AudioTakeDevice;

class AudioPlayer : public QObject {
    Q_OBJECT
public:
    enum class State { Stopped, Playing, Paused };
    Q_ENUM(State)

    static QString noDeviceMessage();
    // The output format chosen for a take on a device (invalid if none works).
    static QAudioFormat chooseFormat(const QAudioDevice& device, int sampleRateHz, int channels);

    // Plays on the system's default output and follows it as it changes.
    explicit AudioPlayer(QObject* parent = nullptr);
    // Plays on `device` only; a null device means no playback (tests).
    explicit AudioPlayer(const QAudioDevice& device, QObject* parent = nullptr);
    ~AudioPlayer() override;

    bool available() const { return !m_device.isNull(); }
    QString unavailableReason() const { return available() ? QString() : noDeviceMessage(); }
    QAudioDevice device() const { return m_device; }

    // Stops playback and starts over on `take` (null: nothing to play).
    void setTake(std::shared_ptr<AudioTake> take);
    const std::shared_ptr<AudioTake>& take() const { return m_take; }

    State state() const { return m_state; }
    bool isPlaying() const { return m_state == State::Playing; }
    qint64 positionFrame() const;
    qint64 durationFrames() const;
    int sampleRateHz() const;
    bool hasLoop() const { return m_loopEnd > m_loopStart; }
    qint64 loopStart() const { return m_loopStart; }
    qint64 loopEnd() const { return m_loopEnd; }
    void setVolume(double volume);  // 0..1, linear
    double volume() const { return m_volume; }

    int underrunCount() const { return m_underruns; }
    // The latest start latency in ms (see above), -1 until one was measured.
    double lastStartLatencyMs() const { return m_lastStartLatencyMs; }
    // What the sink buffers beyond the pull, in ms (0 without a sink).
    double outputBufferMs() const;
    QAudioFormat outputFormat() const { return m_format; }
    bool isResampling() const;

public Q_SLOTS:
    void play();
    void pause();
    void togglePlayPause();
    void stop();
    void seek(qint64 frame);
    void setLoop(qint64 startFrame, qint64 endFrame);
    void clearLoop();

Q_SIGNALS:
    // About 30 times a second while playing, and on every seek and stop.
    void positionChanged(qint64 frame);
    void stateChanged(latent::AudioPlayer::State state);
    void underrun();
    void error(const QString& message);
    // The peak |sample| (linear, 0..1+) of what is sounding, with each position tick.
    void levelChanged(float peak);
    void availableChanged(bool available);
    void startLatencyMeasured(double ms);

private:
    void init();
    void setDevice(const QAudioDevice& device);
    bool ensureSink();
    void releaseSink();
    void setState(State state);
    void tick();
    void onSinkStateChanged();
    void finishAtEnd();
    void checkLatency();

    QMediaDevices* m_devices = nullptr;  // only when following the default output
    QAudioDevice m_device;
    std::shared_ptr<AudioTake> m_take;
    QAudioFormat m_format;
    QPointer<QAudioSink> m_sink;
    QPointer<AudioTakeDevice> m_io;
    bool m_sinkRunning = false;  // started and not stopped (maybe suspended)
    State m_state = State::Stopped;
    qint64 m_position = 0;        // while not running
    qint64 m_playStartFrame = 0;  // where stop() returns to
    qint64 m_loopStart = 0;
    qint64 m_loopEnd = 0;
    mutable qint64 m_seekHoldOut = -1;  // until this output frame sounds, show m_seekHoldFrame
    qint64 m_seekHoldFrame = 0;
    qint64 m_lastTickFrame = 0;
    int m_underruns = 0;
    double m_volume = 1.0;
    std::int64_t m_playRequestNs = 0;
    std::int64_t m_endSeenNs = 0;  // when the device was first seen at the end
    bool m_latencyPending = false;
    double m_lastStartLatencyMs = -1;
    QTimer m_tick;
};

}  // namespace latent
