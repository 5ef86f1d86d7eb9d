// Playback of a take that is still streaming in: the take buffer (placement,
// order, threads), the pull device the sink reads (underrun silence, resume,
// end, formats, rate conversion, loops, the output -> take timeline) and the
// player without an audio device (as on CI): it says so and never crashes.
#include <QAudioDevice>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "UiTestSupport.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "audio/AudioTakeDevice.h"
#include "audio/MediaBackend.h"
#include "latent/Chunk.h"

using namespace latent;

namespace {

AudioBlock makeBlock(int rate, int channels, qint64 start, std::vector<float> samples, bool final = false) {
    AudioBlock b;
    b.sampleRateHz = rate;
    b.channels = channels;
    b.startFrame = start;
    b.samples = makeSharedFloats(std::move(samples));
    b.final = final;
    return b;
}

// Mono frames [start, start+count) whose value encodes the frame: f / 10000.
AudioBlock rampBlock(int rate, qint64 start, qint64 count, bool final = false) {
    std::vector<float> s(static_cast<std::size_t>(count));
    for (qint64 i = 0; i < count; ++i) s[std::size_t(i)] = float(start + i) / 10000.0f;
    return makeBlock(rate, 1, start, std::move(s), final);
}

AudioBlock constantBlock(int rate, qint64 start, qint64 count, float value, bool final = false) {
    return makeBlock(rate, 1, start, std::vector<float>(std::size_t(count), value), final);
}

QAudioFormat floatFormat(int rate, int channels) {
    QAudioFormat f;
    f.setSampleRate(rate);
    f.setChannelCount(channels);
    f.setSampleFormat(QAudioFormat::Float);
    return f;
}

std::vector<float> readFloats(AudioTakeDevice& dev, qint64 frames, int channels = 1) {
    std::vector<float> out(std::size_t(frames * channels), -99.0f);
    const qint64 got = dev.read(reinterpret_cast<char*>(out.data()), frames * channels * qint64(sizeof(float)));
    out.resize(std::size_t(std::max<qint64>(0, got) / qint64(sizeof(float))));
    return out;
}

}  // namespace

class tst_AudioPlayer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    // --- AudioTake ---

    void takePlacesBlocksByStartFrame() {
        AudioTake take(8000, 2);
        QVERIFY(take.isValid());
        QCOMPARE(take.frames(), 0);
        QVERIFY(take.firstAppendNs() == 0);
        QVERIFY(take.append(makeBlock(8000, 2, 0, {0.1f, -0.1f, 0.2f, -0.2f})));
        QVERIFY(take.firstAppendNs() > 0);
        QVERIFY(take.append(makeBlock(8000, 2, 2, {0.3f, -0.3f})));
        QCOMPARE(take.frames(), 3);
        QCOMPARE(take.contiguousFrames(), 3);
        QCOMPARE(take.blockCount(), 2);
        std::vector<float> out(8, 9.0f);
        QCOMPARE(take.read(1, 4, out.data()), 2);  // frames 1 and 2 arrived, 3 and 4 did not
        QCOMPARE(out[0], 0.2f);
        QCOMPARE(out[1], -0.2f);
        QCOMPARE(out[2], 0.3f);
        QCOMPARE(out[5], 0.0f);  // not arrived: silence
        QCOMPARE(take.peak(0, 3), 0.3f);
        QVERIFY(!take.finished());
        QCOMPARE(take.durationSeconds(), 3.0 / 8000);
    }

    void takeAcceptsBlocksOutOfOrder() {
        AudioTake take(16000, 1);
        QVERIFY(take.append(rampBlock(16000, 40000, 1000, /*final=*/true)));  // across a page boundary
        QCOMPARE(take.frames(), 41000);
        QCOMPARE(take.contiguousFrames(), 0);
        QCOMPARE(take.availableFrom(40000), 41000);
        QCOMPARE(take.availableFrom(39999), 39999);
        QVERIFY(!take.finished());  // the final block came, the frames before it not yet
        std::vector<float> out(10);
        QCOMPARE(take.read(39995, 10, out.data()), 0);
        QCOMPARE(out[4], 0.0f);
        QCOMPARE(out[5], 4.0f);
        QVERIFY(take.append(rampBlock(16000, 0, 20000)));
        QVERIFY(take.append(rampBlock(16000, 20000, 20000)));
        QCOMPARE(take.contiguousFrames(), 41000);
        QVERIFY(take.finished());
        // An overlapping block overwrites.
        QVERIFY(take.append(constantBlock(16000, 100, 10, 0.75f)));
        QCOMPARE(take.read(105, 1, out.data()), 1);
        QCOMPARE(out[0], 0.75f);
        QCOMPARE(take.frames(), 41000);
    }

    void takeRefusesBlocksThatDoNotFit() {
        AudioTake take(44100, 2);
        QVERIFY(!take.append(constantBlock(48000, 0, 10, 0.1f)));
        QVERIFY(take.lastError().contains(QLatin1String("48000")));
        QVERIFY(!take.append(makeBlock(44100, 2, -4, {0.f, 0.f})));
        QVERIFY(!take.append(makeBlock(44100, 2, AudioTake::kMaxSeconds * 44100, {0.f, 0.f})));
        QCOMPARE(take.frames(), 0);
        AudioTake invalid(0, 0);
        QVERIFY(!invalid.isValid());
        QVERIFY(!invalid.append(makeBlock(0, 0, 0, {})));
    }

    void takeFinishesOnFinishOrCompleteFinal() {
        AudioTake take(8000, 1);
        QVERIFY(take.append(constantBlock(8000, 0, 10, 0.1f)));
        QVERIFY(!take.finished());
        take.finish();
        QVERIFY(take.finished());
        AudioTake announced(8000, 1);
        AudioBlock b = constantBlock(8000, 0, 10, 0.1f, /*final=*/true);
        b.totalFrames = 20;  // announced longer than what came: not complete
        QVERIFY(announced.append(b));
        QCOMPARE(announced.totalFrames(), 20);
        QVERIFY(!announced.finished());
        QVERIFY(announced.append(constantBlock(8000, 10, 10, 0.2f)));
        QVERIFY(announced.finished());
    }

    void takeAppendFromAnotherThreadWhileReading() {
        auto take = std::make_shared<AudioTake>(48000, 2);
        constexpr int kBlocks = 300;
        constexpr qint64 kFrames = 997;  // not a divisor of the page size
        std::atomic<bool> done{false};
        std::thread writer([&] {
            for (int b = 0; b < kBlocks; ++b) {
                std::vector<float> s(std::size_t(kFrames) * 2);
                for (qint64 i = 0; i < kFrames; ++i) {
                    const qint64 f = b * kFrames + i;
                    s[std::size_t(2 * i)] = float(f % 1000) / 1000.0f;
                    s[std::size_t(2 * i + 1)] = -float(f % 1000) / 1000.0f;
                }
                take->append(makeBlock(48000, 2, b * kFrames, std::move(s), b == kBlocks - 1));
                if (b % 16 == 0) std::this_thread::yield();
            }
            done = true;
        });
        // Whatever the reader sees as arrived is complete and right.
        qint64 checked = 0;
        std::vector<float> buf(4096 * 2);
        int reads = 0;
        while (!done || checked < take->contiguousFrames()) {
            const qint64 got = take->read(checked, 4096, buf.data());
            for (qint64 i = 0; i < got; ++i) {
                const qint64 f = checked + i;
                if (buf[std::size_t(2 * i)] != float(f % 1000) / 1000.0f ||
                    buf[std::size_t(2 * i + 1)] != -float(f % 1000) / 1000.0f) {
                    writer.join();
                    QFAIL(qPrintable(QStringLiteral("wrong sample at frame %1").arg(f)));
                }
            }
            checked += got;
            ++reads;
        }
        writer.join();
        QCOMPARE(checked, kBlocks * kFrames);
        QVERIFY(take->finished());
        QVERIFY(reads > 1);
    }

    // --- AudioTakeDevice ---

    void deviceReadsSilenceOnUnderrunThenRealSamples() {
        auto take = std::make_shared<AudioTake>(48000, 1);
        AudioTakeDevice dev(take, floatFormat(48000, 1));
        QVERIFY(dev.open(QIODevice::ReadOnly));
        QVERIFY(dev.isSequential());
        QVERIFY(!dev.atEnd());
        QSignalSpy underruns(&dev, &AudioTakeDevice::underrun);

        // Nothing yet: silence, the position holds; waiting for the first block is no underrun.
        auto s = readFloats(dev, 64);
        QCOMPARE(int(s.size()), 64);
        QVERIFY(std::all_of(s.begin(), s.end(), [](float v) { return v == 0.0f; }));
        QCOMPARE(dev.readPosition(), 0.0);
        QCOMPARE(dev.underrunCount(), 0);
        QVERIFY(dev.firstRealReadNs() == 0);

        QVERIFY(take->append(constantBlock(48000, 0, 100, 0.5f)));
        s = readFloats(dev, 64);
        QVERIFY(std::all_of(s.begin(), s.end(), [](float v) { return v == 0.5f; }));
        QVERIFY(dev.firstRealReadNs() >= take->firstAppendNs());
        QVERIFY(!dev.inUnderrun());

        // 36 real frames remain, then the generator is behind: silence, one underrun.
        s = readFloats(dev, 64);
        QVERIFY(std::all_of(s.begin(), s.begin() + 36, [](float v) { return v == 0.5f; }));
        QVERIFY(std::all_of(s.begin() + 36, s.end(), [](float v) { return v == 0.0f; }));
        QCOMPARE(dev.readPosition(), 100.0);
        QCOMPARE(dev.underrunCount(), 1);
        QCOMPARE(underruns.count(), 1);
        QVERIFY(dev.inUnderrun());
        readFloats(dev, 64);  // still waiting: the same underrun
        QCOMPARE(dev.underrunCount(), 1);

        // The next block resumes exactly where the sound stopped.
        QVERIFY(take->append(constantBlock(48000, 100, 100, 0.25f)));
        s = readFloats(dev, 64);
        QVERIFY(std::all_of(s.begin(), s.end(), [](float v) { return v == 0.25f; }));
        QCOMPARE(dev.readPosition(), 164.0);
        QVERIFY(!dev.inUnderrun());
    }

    void deviceEndsAtTheEndOfAFinishedTake() {
        auto take = std::make_shared<AudioTake>(8000, 1);
        QVERIFY(take->append(rampBlock(8000, 0, 50, /*final=*/true)));
        AudioTakeDevice dev(take, floatFormat(8000, 1));
        QVERIFY(dev.open(QIODevice::ReadOnly));
        QSignalSpy ended(&dev, &AudioTakeDevice::reachedEnd);
        auto s = readFloats(dev, 80);
        QCOMPARE(int(s.size()), 50);
        QCOMPARE(s[49], 49 / 10000.0f);
        QCOMPARE(dev.read(reinterpret_cast<char*>(s.data()), 64), qint64(0));
        QVERIFY(dev.atEnd());
        QVERIFY(dev.ended());
        QCOMPARE(ended.count(), 1);
        QCOMPARE(dev.underrunCount(), 0);
        QCOMPARE(dev.bytesAvailable(), qint64(0));
        dev.seekFrame(10);  // a seek leaves the end
        QVERIFY(!dev.atEnd());
        QCOMPARE(int(readFloats(dev, 100).size()), 40);
    }

    void deviceWritesInt16AndMapsChannels() {
        auto take = std::make_shared<AudioTake>(22050, 1);
        QVERIFY(take->append(makeBlock(22050, 1, 0, {0.5f, -1.0f, 2.0f, 0.0f})));
        QAudioFormat f;
        f.setSampleRate(22050);
        f.setChannelCount(2);
        f.setSampleFormat(QAudioFormat::Int16);
        AudioTakeDevice dev(take, f);
        QVERIFY(dev.open(QIODevice::ReadOnly));
        std::vector<qint16> out(8);
        QCOMPARE(dev.read(reinterpret_cast<char*>(out.data()), 16), qint64(16));
        QCOMPARE(out[0], qint16(16384));  // 0.5 on both channels
        QCOMPARE(out[1], qint16(16384));
        QCOMPARE(out[2], qint16(-32767));
        QCOMPARE(out[4], qint16(32767));  // clipped, never wrapped
        QCOMPARE(out[6], qint16(0));

        // A stereo take on a mono output is down-mixed.
        auto stereo = std::make_shared<AudioTake>(22050, 2);
        QVERIFY(stereo->append(makeBlock(22050, 2, 0, {0.5f, 0.25f}, true)));
        AudioTakeDevice mono(stereo, floatFormat(22050, 1));
        QVERIFY(mono.open(QIODevice::ReadOnly));
        const auto s = readFloats(mono, 4);
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(s[0], 0.375f);
    }

    void deviceConvertsTheRateByLinearInterpolation() {
        auto take = std::make_shared<AudioTake>(24000, 1);
        QVERIFY(take->append(makeBlock(24000, 1, 0, {0.0f, 0.2f, 0.4f, 0.6f}, /*final=*/true)));
        AudioTakeDevice dev(take, floatFormat(48000, 1));  // the device refused 24 kHz
        QVERIFY(dev.open(QIODevice::ReadOnly));
        const auto s = readFloats(dev, 16);
        // Two output frames per take frame, the last one held at the end.
        QCOMPARE(int(s.size()), 8);
        const float expected[] = {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.6f};
        for (int i = 0; i < 8; ++i) QVERIFY2(std::abs(s[std::size_t(i)] - expected[i]) < 1e-6f, qPrintable(QString::number(i)));
        QCOMPARE(dev.takeFrameAtOutput(3), 1.5);
    }

    void deviceWaitsForTheNextFrameToInterpolate() {
        auto take = std::make_shared<AudioTake>(24000, 1);
        QVERIFY(take->append(makeBlock(24000, 1, 0, {0.0f, 0.2f})));
        AudioTakeDevice dev(take, floatFormat(48000, 1));
        QVERIFY(dev.open(QIODevice::ReadOnly));
        auto s = readFloats(dev, 6);
        // 0, 0.1, 0.2, then frame 1.5 needs frame 2: underrun, held at 1.5.
        QVERIFY(std::abs(s[1] - 0.1f) < 1e-6f);
        QCOMPARE(s[2], 0.2f);
        QCOMPARE(s[3], 0.0f);
        QCOMPARE(dev.readPosition(), 1.5);
        QCOMPARE(dev.underrunCount(), 1);
        QVERIFY(take->append(makeBlock(24000, 1, 2, {0.4f})));
        s = readFloats(dev, 1);
        QVERIFY(std::abs(s[0] - 0.3f) < 1e-6f);
    }

    void deviceLoopsTheSelection() {
        auto take = std::make_shared<AudioTake>(8000, 1);
        QVERIFY(take->append(rampBlock(8000, 0, 100, /*final=*/true)));
        AudioTakeDevice dev(take, floatFormat(8000, 1));
        QVERIFY(dev.open(QIODevice::ReadOnly));
        dev.setLoop(10, 20);
        dev.seekFrame(15);
        const auto s = readFloats(dev, 20);
        QCOMPARE(int(s.size()), 20);
        const int expected[] = {15, 16, 17, 18, 19, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 10, 11, 12, 13, 14};
        for (int i = 0; i < 20; ++i) QCOMPARE(s[std::size_t(i)], float(expected[i]) / 10000.0f);
        QCOMPARE(dev.takeFrameAtOutput(6), 11.0);
        // Past the loop's end when it is set: the loop does not pull it back.
        dev.seekFrame(50);
        QCOMPARE(readFloats(dev, 3)[0], 50 / 10000.0f);
        dev.clearLoop();
        dev.seekFrame(18);
        QCOMPARE(readFloats(dev, 4)[3], 21 / 10000.0f);
    }

    void deviceTimelineFollowsUnderrunsAndSeeks() {
        auto take = std::make_shared<AudioTake>(8000, 1);
        QVERIFY(take->append(rampBlock(8000, 0, 100)));
        AudioTakeDevice dev(take, floatFormat(8000, 1));
        QVERIFY(dev.open(QIODevice::ReadOnly));
        readFloats(dev, 150);  // 100 real frames, then 50 frames of silence held at 100
        QVERIFY(take->append(rampBlock(8000, 100, 100)));
        readFloats(dev, 50);  // frames 100..149
        QCOMPARE(dev.outputFramesWritten(), 200);
        QCOMPARE(dev.takeFrameAtOutput(50), 50.0);
        QCOMPARE(dev.takeFrameAtOutput(120), 100.0);
        QCOMPARE(dev.takeFrameAtOutput(160), 110.0);
        dev.seekFrame(20);
        readFloats(dev, 10);
        QCOMPARE(dev.takeFrameAtOutput(205), 25.0);
        dev.restartOutput();
        QCOMPARE(dev.outputFramesWritten(), 0);
        QCOMPARE(dev.takeFrameAtOutput(0), 30.0);  // nothing written yet: the read position
    }

    void holesInAFinishedTakePlayAsSilence() {
        auto take = std::make_shared<AudioTake>(8000, 1);
        QVERIFY(take->append(constantBlock(8000, 0, 4, 0.5f)));
        QVERIFY(take->append(constantBlock(8000, 8, 4, 0.5f)));
        take->finish();
        AudioTakeDevice dev(take, floatFormat(8000, 1));
        QVERIFY(dev.open(QIODevice::ReadOnly));
        const auto s = readFloats(dev, 20);
        QCOMPARE(int(s.size()), 12);
        QCOMPARE(s[5], 0.0f);
        QCOMPARE(s[9], 0.5f);
        QCOMPARE(dev.underrunCount(), 0);
    }

    // --- AudioPlayer without a device ---

    void playerWithoutDeviceSaysSoAndStaysUsable() {
        AudioPlayer player{QAudioDevice()};
        QVERIFY(!player.available());
        QCOMPARE(player.unavailableReason(), AudioPlayer::noDeviceMessage());
        QVERIFY(AudioPlayer::noDeviceMessage().startsWith(QLatin1String("No audio output device")));
        QVERIFY(AudioPlayer::noDeviceMessage().contains(QLatin1String("export")));
        QSignalSpy errors(&player, &AudioPlayer::error);
        QSignalSpy positions(&player, &AudioPlayer::positionChanged);
        QSignalSpy states(&player, &AudioPlayer::stateChanged);

        player.play();  // nothing to play yet: quietly nothing
        auto take = std::make_shared<AudioTake>(44100, 2);
        QVERIFY(take->append(makeBlock(44100, 2, 0, std::vector<float>(44100 * 2, 0.1f))));
        player.setTake(take);
        QCOMPARE(player.durationFrames(), 44100);
        QCOMPARE(player.sampleRateHz(), 44100);
        player.play();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), AudioPlayer::noDeviceMessage());
        QCOMPARE(player.state(), AudioPlayer::State::Stopped);
        player.pause();
        player.togglePlayPause();
        QCOMPARE(errors.count(), 2);
        player.seek(22050);
        QCOMPARE(player.positionFrame(), 22050);
        QCOMPARE(positions.last().at(0).toLongLong(), 22050);
        player.setLoop(1000, 2000);
        QVERIFY(player.hasLoop());
        player.setLoop(3000, 2000);  // empty: no loop
        QVERIFY(!player.hasLoop());
        player.stop();
        QCOMPARE(player.state(), AudioPlayer::State::Stopped);
        player.setVolume(2.0);
        QCOMPARE(player.volume(), 1.0);
        QCOMPARE(player.underrunCount(), 0);
        QCOMPARE(player.lastStartLatencyMs(), -1.0);
        QCOMPARE(player.outputBufferMs(), 0.0);
        QVERIFY(!player.outputFormat().isValid());
        QCOMPARE(states.count(), 0);  // never left Stopped
        player.setTake(nullptr);
        player.play();
        player.seek(5);
        QCOMPARE(player.positionFrame(), 5);
    }

    void defaultPlayerOnAMachineWithoutSound() {
        QElapsedTimer clock;
        clock.start();
        AudioPlayer player;
        if (player.available()) QSKIP("this machine has an audio output; the no-device path is covered above");
        QSignalSpy errors(&player, &AudioPlayer::error);
        auto take = std::make_shared<AudioTake>(16000, 1);
        QVERIFY(take->append(constantBlock(16000, 0, 1600, 0.2f, true)));
        player.setTake(take);
        player.play();
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.at(0).at(0).toString().contains(QLatin1String("No audio output device")));
        QVERIFY2(clock.elapsed() < 5000, "looking for a device must not hang");
    }

    void noFormatWithoutADevice() {
        QVERIFY(!AudioPlayer::chooseFormat(QAudioDevice(), 44100, 2).isValid());
    }

    // --- the multimedia backend ---

    void mediaBackendPrefersFfmpegAndKeepsTheUsersChoice() {
        const QByteArray saved = qgetenv("QT_MEDIA_BACKEND");
        const bool wasSet = qEnvironmentVariableIsSet("QT_MEDIA_BACKEND");
        qunsetenv("QT_MEDIA_BACKEND");
        chooseMediaBackend();
        if (mediaBackendInstalled(QStringLiteral("ffmpeg")))
            QCOMPARE(mediaBackendName(), QStringLiteral("ffmpeg"));
        else
            QVERIFY(mediaBackendName().isEmpty());
        qputenv("QT_MEDIA_BACKEND", "gstreamer");
        chooseMediaBackend();
        QCOMPARE(mediaBackendName(), QStringLiteral("gstreamer"));
        QVERIFY(!mediaBackendInstalled(QStringLiteral("no-such-backend")));
        if (wasSet)
            qputenv("QT_MEDIA_BACKEND", saved);
        else
            qunsetenv("QT_MEDIA_BACKEND");
    }
};

QTEST_MAIN(tst_AudioPlayer)
#include "tst_AudioPlayer.moc"
