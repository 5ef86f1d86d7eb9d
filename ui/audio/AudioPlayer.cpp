#include "audio/AudioPlayer.h"

#include <QAudioSink>
#include <QMediaDevices>

#include <algorithm>
#include <chrono>
#include <cmath>

#include <spdlog/spdlog.h>

#include "audio/AudioTake.h"
#include "audio/AudioTakeDevice.h"

namespace latent {

namespace {
constexpr int kTickMs = 33;  // ~30 Hz position updates
// How long past the sink's own buffer a finished take may take to drain
// before the player calls it done anyway.
constexpr double kDrainGraceMs = 250.0;

std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool writable(QAudioFormat::SampleFormat f) {
    return f == QAudioFormat::Float || f == QAudioFormat::Int16 || f == QAudioFormat::Int32 ||
           f == QAudioFormat::UInt8;
}

QString sinkErrorText(QAudio::Error e) {
    switch (e) {
    case QAudio::OpenError: return AudioPlayer::tr("the device could not be opened");
    case QAudio::IOError: return AudioPlayer::tr("writing to the device failed");
    case QAudio::UnderrunError: return AudioPlayer::tr("the device ran out of data");
    case QAudio::FatalError: return AudioPlayer::tr("the audio system failed or went away");
    case QAudio::NoError: break;
    }
    return AudioPlayer::tr("unknown error");
}
}  // namespace

QString AudioPlayer::noDeviceMessage() {
    return tr("No audio output device: playback is off; export the sound to listen to it");
}

QAudioFormat AudioPlayer::chooseFormat(const QAudioDevice& device, int sampleRateHz, int channels) {
    if (device.isNull() || sampleRateHz <= 0 || channels <= 0) return {};
    const QAudioFormat preferred = device.preferredFormat();
    QList<int> channelCounts{channels};
    if (preferred.channelCount() > 0 && preferred.channelCount() != channels)
        channelCounts.append(preferred.channelCount());
    QList<int> rates{sampleRateHz};
    if (preferred.sampleRate() > 0 && preferred.sampleRate() != sampleRateHz) rates.append(preferred.sampleRate());
    for (int rate : rates) {
        QList<QAudioFormat::SampleFormat> sampleFormats;
        if (rate != sampleRateHz && writable(preferred.sampleFormat())) sampleFormats.append(preferred.sampleFormat());
        for (auto f : {QAudioFormat::Float, QAudioFormat::Int16})
            if (!sampleFormats.contains(f)) sampleFormats.append(f);
        for (int ch : channelCounts) {
            for (auto sf : sampleFormats) {
                QAudioFormat f;
                f.setSampleRate(rate);
                f.setChannelCount(ch);
                f.setSampleFormat(sf);
                if (f.isValid() && device.isFormatSupported(f)) return f;
            }
        }
    }
    return preferred.isValid() && writable(preferred.sampleFormat()) ? preferred : QAudioFormat();
}

AudioPlayer::AudioPlayer(QObject* parent) : QObject(parent) {
    init();
    m_devices = new QMediaDevices(this);
    connect(m_devices, &QMediaDevices::audioOutputsChanged, this,
            [this] { setDevice(QMediaDevices::defaultAudioOutput()); });
    m_device = QMediaDevices::defaultAudioOutput();
    if (m_device.isNull()) spdlog::info("Audio playback: no output device; playback is off");
}

AudioPlayer::AudioPlayer(const QAudioDevice& device, QObject* parent) : QObject(parent), m_device(device) {
    init();
}

AudioPlayer::~AudioPlayer() {
    m_tick.stop();
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        delete m_sink.data();
    }
}

void AudioPlayer::init() {
    m_tick.setInterval(kTickMs);
    m_tick.setTimerType(Qt::PreciseTimer);
    connect(&m_tick, &QTimer::timeout, this, &AudioPlayer::tick);
}

void AudioPlayer::setDevice(const QAudioDevice& device) {
    if (device == m_device) return;
    const bool wasAvailable = available();
    const State was = m_state;
    const qint64 start = m_playStartFrame;
    if (m_sinkRunning) m_position = positionFrame();
    releaseSink();
    m_tick.stop();
    m_device = device;
    spdlog::info("Audio playback: output device now {}",
                 device.isNull() ? std::string("none") : device.description().toStdString());
    if (wasAvailable != available()) Q_EMIT availableChanged(available());
    if (was == State::Playing) {
        setState(State::Paused);  // keeps the start frame; play() continues from m_position
        if (available()) {
            play();
        } else {
            Q_EMIT error(noDeviceMessage());
        }
    }
    m_playStartFrame = start;
}

void AudioPlayer::setTake(std::shared_ptr<AudioTake> take) {
    releaseSink();
    m_tick.stop();
    m_take = std::move(take);
    m_position = m_playStartFrame = m_lastTickFrame = 0;
    m_seekHoldOut = -1;
    m_underruns = 0;
    m_latencyPending = false;
    setState(State::Stopped);
    Q_EMIT positionChanged(0);
    Q_EMIT levelChanged(0.0f);
}

qint64 AudioPlayer::durationFrames() const {
    if (!m_take) return 0;
    return std::max(m_take->frames(), m_take->totalFrames());
}

int AudioPlayer::sampleRateHz() const { return m_take ? m_take->sampleRateHz() : 0; }

qint64 AudioPlayer::positionFrame() const {
    if (m_state == State::Playing && m_sinkRunning && m_sink && m_io && m_format.sampleRate() > 0) {
        const auto out = qint64(double(m_sink->processedUSecs()) * m_format.sampleRate() / 1e6);
        if (m_seekHoldOut >= 0) {
            if (out < m_seekHoldOut) return m_seekHoldFrame;
            m_seekHoldOut = -1;
        }
        return std::max<qint64>(0, qint64(std::floor(m_io->takeFrameAtOutput(out))));
    }
    return m_position;
}

double AudioPlayer::outputBufferMs() const {
    if (!m_sink || m_format.bytesPerFrame() <= 0 || m_format.sampleRate() <= 0) return 0.0;
    return double(m_sink->bufferSize()) / m_format.bytesPerFrame() * 1000.0 / m_format.sampleRate();
}

bool AudioPlayer::isResampling() const {
    return m_take && m_format.isValid() && m_format.sampleRate() != m_take->sampleRateHz();
}

void AudioPlayer::setVolume(double volume) {
    m_volume = std::clamp(volume, 0.0, 1.0);
    if (m_sink) m_sink->setVolume(m_volume);
}

bool AudioPlayer::ensureSink() {
    if (!m_take || !m_take->isValid()) return false;
    if (m_sink && m_io && m_io->take() == m_take) return true;
    releaseSink();
    m_format = chooseFormat(m_device, m_take->sampleRateHz(), m_take->channels());
    if (!m_format.isValid()) {
        Q_EMIT error(tr("The audio output \"%1\" accepts no format this player can write (the sound is %2 Hz, "
                        "%3 channel(s))")
                         .arg(m_device.description())
                         .arg(m_take->sampleRateHz())
                         .arg(m_take->channels()));
        return false;
    }
    if (isResampling())
        spdlog::info("Audio playback: the output refuses {} Hz; converting to {} Hz", m_take->sampleRateHz(),
                     m_format.sampleRate());
    m_io = new AudioTakeDevice(m_take, m_format, this);
    m_io->open(QIODevice::ReadOnly);
    m_io->setLoop(m_loopStart, m_loopEnd);
    connect(m_io, &AudioTakeDevice::underrun, this, [this] {
        ++m_underruns;
        Q_EMIT underrun();
    });
    m_sink = new QAudioSink(m_device, m_format, this);
    m_sink->setVolume(m_volume);
    connect(m_sink, &QAudioSink::stateChanged, this, &AudioPlayer::onSinkStateChanged);
    return true;
}

void AudioPlayer::releaseSink() {
    m_sinkRunning = false;
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();  // closes the stream: it no longer reads the device
        m_sink->deleteLater();
        m_sink = nullptr;
    }
    if (m_io) {
        m_io->disconnect(this);
        m_io->deleteLater();
        m_io = nullptr;
    }
    m_format = {};
}

void AudioPlayer::setState(State state) {
    if (state == m_state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void AudioPlayer::play() {
    if (m_state == State::Playing || !m_take) return;
    if (!available()) {
        Q_EMIT error(noDeviceMessage());
        return;
    }
    if (m_state == State::Paused && m_sinkRunning && m_sink) {
        m_sink->resume();
        setState(State::Playing);
        m_tick.start();
        return;
    }
    if (!ensureSink()) return;
    qint64 from = m_position;
    // At the end of a finished take, play starts over.
    if (m_take->finished() && from >= m_take->frames()) from = hasLoop() ? m_loopStart : 0;
    if (m_state == State::Stopped) m_playStartFrame = from;
    m_position = m_lastTickFrame = from;
    m_seekHoldOut = -1;
    m_io->seekFrame(from);
    m_io->restartOutput();
    m_io->arm();
    m_playRequestNs = steadyNowNs();
    m_latencyPending = true;
    m_sink->start(m_io);
    if (m_sink->error() != QAudio::NoError || m_sink->state() == QAudio::StoppedState) {
        const QString why = sinkErrorText(m_sink->error());
        releaseSink();
        setState(State::Stopped);
        Q_EMIT error(tr("The audio output \"%1\" could not start: %2").arg(m_device.description(), why));
        return;
    }
    m_sinkRunning = true;
    setState(State::Playing);
    m_tick.start();
    Q_EMIT positionChanged(from);
}

void AudioPlayer::pause() {
    if (m_state != State::Playing) return;
    m_position = positionFrame();
    if (m_sink && m_sinkRunning) m_sink->suspend();
    m_tick.stop();
    setState(State::Paused);
    Q_EMIT positionChanged(m_position);
    Q_EMIT levelChanged(0.0f);
}

void AudioPlayer::togglePlayPause() {
    if (isPlaying())
        pause();
    else
        play();
}

void AudioPlayer::stop() {
    const bool wasStopped = m_state == State::Stopped;
    if (m_sinkRunning && m_sink) m_sink->stop();
    m_sinkRunning = false;
    m_tick.stop();
    // Back to where playing started; a second stop goes to the beginning.
    m_position = wasStopped ? 0 : m_playStartFrame;
    m_playStartFrame = m_lastTickFrame = m_position;
    m_seekHoldOut = -1;
    setState(State::Stopped);
    Q_EMIT positionChanged(m_position);
    Q_EMIT levelChanged(0.0f);
}

void AudioPlayer::seek(qint64 frame) {
    frame = std::max<qint64>(0, frame);
    if (m_take && m_take->finished()) frame = std::min(frame, m_take->frames());
    if (m_state == State::Playing && m_sinkRunning && m_io) {
        m_io->seekFrame(frame);
        // What the sink already holds plays out first; until the new audio
        // sounds the playhead shows the target.
        m_seekHoldOut = m_io->outputFramesWritten();
        m_seekHoldFrame = frame;
    } else if (m_sinkRunning && m_sink) {
        // Paused: drop what the sink holds so resuming starts at the target.
        m_sink->stop();
        m_sinkRunning = false;
    }
    m_position = m_playStartFrame = m_lastTickFrame = frame;
    Q_EMIT positionChanged(frame);
}

void AudioPlayer::setLoop(qint64 startFrame, qint64 endFrame) {
    startFrame = std::max<qint64>(0, startFrame);
    endFrame = std::max<qint64>(0, endFrame);
    if (endFrame <= startFrame) startFrame = endFrame = 0;
    m_loopStart = startFrame;
    m_loopEnd = endFrame;
    if (m_io) m_io->setLoop(m_loopStart, m_loopEnd);
}

void AudioPlayer::clearLoop() { setLoop(0, 0); }

void AudioPlayer::tick() {
    if (m_state != State::Playing) return;
    const qint64 pos = positionFrame();
    float peak = 0.0f;
    if (m_take) {
        const qint64 window = std::max<qint64>(1, qint64(m_take->sampleRateHz()) * kTickMs / 1000);
        const qint64 from = pos > m_lastTickFrame && pos - m_lastTickFrame <= 4 * window ? m_lastTickFrame : pos - window;
        peak = m_take->peak(from, pos + 1);
    }
    m_lastTickFrame = pos;
    Q_EMIT positionChanged(pos);
    Q_EMIT levelChanged(peak);
    checkLatency();
    // A finished take ends once what was written has sounded (or a little
    // after the sink's buffer time, should its clock not get there).
    if (m_io && m_io->ended() && m_sink) {
        const auto played = qint64(double(m_sink->processedUSecs()) * m_format.sampleRate() / 1e6);
        if (m_endSeenNs == 0) m_endSeenNs = steadyNowNs();
        const double waitedMs = double(steadyNowNs() - m_endSeenNs) / 1e6;
        if (played >= m_io->outputFramesWritten() || waitedMs > outputBufferMs() + kDrainGraceMs) finishAtEnd();
    } else {
        m_endSeenNs = 0;
    }
}

void AudioPlayer::checkLatency() {
    if (!m_latencyPending || !m_io || !m_take) return;
    const std::int64_t pulled = m_io->firstRealReadNs();
    if (pulled == 0) return;
    const std::int64_t from = std::max(m_take->firstAppendNs(), m_playRequestNs);
    m_lastStartLatencyMs = std::max(0.0, double(pulled - from) / 1e6);
    m_latencyPending = false;
    spdlog::debug("Audio playback: first samples pulled {:.1f} ms after they could start (+{:.0f} ms output buffer)",
                  m_lastStartLatencyMs, outputBufferMs());
    Q_EMIT startLatencyMeasured(m_lastStartLatencyMs);
}

void AudioPlayer::onSinkStateChanged() {
    if (!m_sink || !m_sinkRunning) return;
    const QAudio::State st = m_sink->state();
    const QAudio::Error err = m_sink->error();
    // Idle with UnderrunError: PulseAudio's own buffer ran dry (the GUI thread
    // was busy); the sink refills it on its next tick. Idle at the end of a
    // finished take is handled by tick(), once the buffer has sounded.
    if (st == QAudio::StoppedState && err != QAudio::NoError) {
        m_position = m_lastTickFrame;
        m_sinkRunning = false;
        m_tick.stop();
        releaseSink();
        setState(State::Paused);
        Q_EMIT levelChanged(0.0f);
        Q_EMIT error(tr("Audio output stopped: %1").arg(sinkErrorText(err)));
    }
}

void AudioPlayer::finishAtEnd() {
    m_endSeenNs = 0;
    if (m_sink) m_sink->stop();
    m_sinkRunning = false;
    m_tick.stop();
    m_position = m_playStartFrame;
    m_lastTickFrame = m_position;
    setState(State::Stopped);
    Q_EMIT positionChanged(m_position);
    Q_EMIT levelChanged(0.0f);
}

}  // namespace latent
