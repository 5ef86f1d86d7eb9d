#pragma once
// The QIODevice a QAudioSink pulls from in pull mode: it reads a growing
// AudioTake and writes the sink's format (Float, Int16, Int32 or UInt8; any
// channel count; any rate, by linear interpolation when the sink's rate is
// not the take's).
//
// Reading past what has arrived while the take is still streaming is an
// underrun: the device writes silence without moving its read position and
// carries on from there as soon as the next block lands, so a slow generator
// pauses the sound instead of skipping it. Underruns are counted once each
// (the wait before the very first samples is not one). Holes in a finished
// take play as silence. At the end of a finished take readData returns 0 and
// atEnd() is true, so the sink goes idle.
//
// Every read is also recorded on a timeline (output frame -> take frame, or
// "silence held at take frame N"), so the player can tell which take frame is
// sounding from the number of output frames the sink reports as played,
// across underruns, seeks, loops and rate conversion.
//
// Thread-safety: readData may run on the sink's thread; the control calls
// (seek, loop, queries) may come from the GUI thread. One mutex guards both.
#include <QAudioFormat>
#include <QIODevice>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace latent {

class AudioTake;

class AudioTakeDevice : public QIODevice {
    Q_OBJECT
public:
    AudioTakeDevice(std::shared_ptr<AudioTake> take, const QAudioFormat& format, QObject* parent = nullptr);

    const std::shared_ptr<AudioTake>& take() const { return m_take; }
    QAudioFormat format() const { return m_format; }

    // Where the next read starts, in take frames (not QIODevice::seek: the
    // device is sequential, its byte position means nothing).
    void seekFrame(qint64 takeFrame);
    double readPosition() const;
    // Plays [startFrame, endFrame) over and over once the read position enters
    // it; endFrame <= startFrame clears the loop.
    void setLoop(qint64 startFrame, qint64 endFrame);
    void clearLoop();

    // Forgets the timeline and restarts output counting at 0 (the sink was
    // restarted): the next read is output frame 0, at the current position.
    void restartOutput();
    // Output frames written since restartOutput().
    qint64 outputFramesWritten() const;
    // The take frame that output frame `outputFrame` carries (the held frame
    // while that output was underrun silence). Frames before the oldest kept
    // timeline entry map to it; the timeline keeps what is still buffered.
    double takeFrameAtOutput(qint64 outputFrame) const;

    int underrunCount() const { return m_underruns.load(); }
    bool inUnderrun() const;
    bool ended() const;
    // steady_clock ns of the first read since restartOutput() (or arm())
    // that returned take samples rather than filler, 0 before.
    std::int64_t firstRealReadNs() const;
    // Clears firstRealReadNs, so the next start is measured afresh.
    void arm();

    // QIODevice. open() always adds Unbuffered: QIODevice's own read-ahead
    // (16 KiB behind even a small read) would hold underrun silence after the
    // next block landed, stale audio after a seek, and frames counted as
    // written that the sink has not taken yet, so the timeline would run ahead.
    bool open(OpenMode mode) override;
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool atEnd() const override;

Q_SIGNALS:
    // A read ran out of arrived samples while the take was still streaming.
    void underrun();
    // A read reached the end of the finished take.
    void reachedEnd();

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 maxSize) override;

private:
    struct Segment {
        qint64 outStart;    // first output frame of the segment
        double takeStart;   // take frame at outStart
        double step;        // take frames per output frame; 0 for held silence
    };
    void addSegmentLocked(qint64 outStart, double takeStart, double step);
    void writeOutput(const float* frames, qint64 count, char* dst) const;

    const std::shared_ptr<AudioTake> m_take;
    const QAudioFormat m_format;
    const int m_takeChannels;
    const int m_outChannels;
    const double m_step;  // take rate / output rate

    mutable std::mutex m_mutex;
    double m_pos = 0;  // take frame the next output frame reads
    qint64 m_loopStart = 0;
    qint64 m_loopEnd = 0;  // <= m_loopStart: no loop
    qint64 m_outWritten = 0;
    bool m_atLoopEnd = false;  // the last run stopped at the loop's end
    bool m_underrun = false;
    bool m_hadRealSamples = false;
    bool m_ended = false;
    std::int64_t m_firstRealReadNs = 0;
    std::deque<Segment> m_timeline;
    std::atomic<int> m_underruns{0};
    std::vector<float> m_takeScratch;
    std::vector<float> m_outScratch;
};

}  // namespace latent
