#pragma once
// The audio views' model of one take: a peak mipmap (per channel, from
// single samples up while they fit its budget) for the waveform and a log-mel
// spectrogram (of the channels mixed to mono), fed
// from streamed AudioBlocks. It keeps summaries only, never the samples, so
// memory stays bounded however long the take (AudioPeaks and MelSpectrogram
// document their budgets: ~100 MB at most for 2 hours of 48 kHz stereo).
//
// Blocks are placed by their startFrame (libobs style): a gap before a block
// is filled with silence, frames already received are skipped. The first
// block fixes the sample rate and channel count; a block with others is
// refused (clear() first for a new take). GUI thread only.
#include <QObject>

#include <memory>
#include <vector>

#include "latent/Chunk.h"
#include "latent/media/AudioPeaks.h"
#include "latent/media/MelSpectrogram.h"

namespace latent {

class AudioViewData : public QObject {
    Q_OBJECT
public:
    // A gap longer than this (in seconds of silence) is refused as a bad position.
    static constexpr int kMaxGapSeconds = 3600;

    explicit AudioViewData(QObject* parent = nullptr);
    ~AudioViewData() override;

    // Appends a streamed block; false (and a warning in the log) when it does
    // not fit this take. Emits grew() for the frames it added.
    bool appendBlock(const AudioBlock& block);
    // Forgets the take; the next block starts a new one.
    void clear();

    bool isEmpty() const { return m_frames == 0; }
    int sampleRateHz() const { return m_sampleRateHz; }
    int channels() const { return m_channels; }
    qint64 frames() const { return m_frames; }                  // arrived so far
    qint64 expectedFrames() const { return m_expectedFrames; }  // announced; -1 unknown
    bool isFinished() const { return m_finished; }

    // Null until the first block.
    const AudioPeaks* peaks() const { return m_peaks.get(); }
    const MelSpectrogram* spectrogram() const { return m_mel.get(); }
    std::size_t memoryBytes() const;

    // The spectrogram's bands (default 80); takes effect from the next take.
    void setMelBands(int bands);
    // The analysis used for a sample rate: fftSize the smallest power of two
    // covering 21.3 ms (1024 at 44.1/48 kHz, 512 at 16–24 kHz), hop fftSize/4.
    MelSpectrogram::Params melParamsFor(int sampleRateHz) const;

Q_SIGNALS:
    // Frames [fromFrame, toFrame) arrived (spectrogram columns lag by up to
    // fftSize/2 frames until the take is finished).
    void grew(qint64 fromFrame, qint64 toFrame);
    void expectedFramesChanged(qint64 frames);
    void finished();
    void cleared();
    // The first block of a take fixed its format.
    void formatChanged(int sampleRateHz, int channels);

private:
    void appendFrames(const float* interleaved, qint64 frames);
    void appendSilence(qint64 frames);

    int m_sampleRateHz = 0;
    int m_channels = 0;
    qint64 m_frames = 0;
    qint64 m_expectedFrames = -1;
    bool m_finished = false;
    int m_melBands = 80;
    std::unique_ptr<AudioPeaks> m_peaks;
    std::unique_ptr<MelSpectrogram> m_mel;
    std::vector<float> m_mono;
};

}  // namespace latent
