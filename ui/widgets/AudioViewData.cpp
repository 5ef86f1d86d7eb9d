#include "widgets/AudioViewData.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "latent/Error.h"

namespace latent {

AudioViewData::AudioViewData(QObject* parent) : QObject(parent) {}
AudioViewData::~AudioViewData() = default;

void AudioViewData::clear() {
    m_peaks.reset();
    m_mel.reset();
    m_sampleRateHz = 0;
    m_channels = 0;
    m_frames = 0;
    m_expectedFrames = -1;
    m_finished = false;
    std::vector<float>().swap(m_mono);
    Q_EMIT cleared();
}

void AudioViewData::setMelBands(int bands) { m_melBands = std::clamp(bands, 1, 512); }

MelSpectrogram::Params AudioViewData::melParamsFor(int sampleRateHz) const {
    MelSpectrogram::Params p;
    p.sampleRateHz = sampleRateHz;
    const double ideal = sampleRateHz * (1024.0 / 48000.0);
    p.fftSize = std::clamp(1 << int(std::ceil(std::log2(std::max(ideal, 16.0)) - 1e-9)), 64, 8192);
    p.hop = p.fftSize / 4;
    p.melBands = m_melBands;
    return p;
}

std::size_t AudioViewData::memoryBytes() const {
    return (m_peaks ? m_peaks->memoryBytes() : 0) + (m_mel ? m_mel->memoryBytes() : 0);
}

bool AudioViewData::appendBlock(const AudioBlock& block) {
    if (block.sampleRateHz <= 0 || block.channels <= 0 || block.startFrame < 0) {
        spdlog::warn("Audio view: ignoring a block with {} Hz, {} channels at frame {}", block.sampleRateHz,
                     block.channels, block.startFrame);
        return false;
    }
    if (m_finished) {
        spdlog::warn("Audio view: ignoring a block after the end of the take");
        return false;
    }
    if (!m_peaks) {
        try {
            // Sample detail (1-frame buckets) while it fits AudioPeaks' budget.
            m_peaks = std::make_unique<AudioPeaks>(block.channels, 1);
            m_mel = std::make_unique<MelSpectrogram>(melParamsFor(block.sampleRateHz));
        } catch (const Error& e) {
            m_peaks.reset();
            m_mel.reset();
            spdlog::warn("Audio view: {}", e.what());
            return false;
        }
        m_sampleRateHz = block.sampleRateHz;
        m_channels = block.channels;
        Q_EMIT formatChanged(m_sampleRateHz, m_channels);
    } else if (block.sampleRateHz != m_sampleRateHz || block.channels != m_channels) {
        spdlog::warn("Audio view: ignoring a {} Hz, {}-channel block in a {} Hz, {}-channel take", block.sampleRateHz,
                     block.channels, m_sampleRateHz, m_channels);
        return false;
    }
    const qint64 from = m_frames;
    if (block.startFrame > m_frames) {
        if (block.startFrame - m_frames > qint64(kMaxGapSeconds) * m_sampleRateHz) {
            spdlog::warn("Audio view: ignoring a block at frame {}, {} frames after the last one", block.startFrame,
                         block.startFrame - m_frames);
            return false;
        }
        appendSilence(block.startFrame - m_frames);
    }
    const qint64 count = block.frameCount();
    const qint64 skip = std::min(count, m_frames - block.startFrame);  // already received
    if (count > skip) appendFrames(block.samples->data() + skip * m_channels, count - skip);
    if (block.totalFrames >= 0 && block.totalFrames != m_expectedFrames) {
        m_expectedFrames = block.totalFrames;
        Q_EMIT expectedFramesChanged(m_expectedFrames);
    }
    if (block.final) {
        m_mel->finish();
        m_finished = true;
    }
    // A final block may add no frames but still completes the spectrogram's
    // last columns, which the views repaint with their own margin.
    if (m_frames > from || block.final) Q_EMIT grew(from, m_frames);
    if (block.final) Q_EMIT finished();
    return true;
}

void AudioViewData::appendFrames(const float* interleaved, qint64 frames) {
    m_peaks->append(interleaved, frames, m_channels);
    const float* mono = interleaved;
    if (m_channels > 1) {
        m_mono.resize(std::size_t(frames));
        const float scale = 1.0f / float(m_channels);
        for (qint64 f = 0; f < frames; ++f) {
            float sum = 0;
            for (int c = 0; c < m_channels; ++c) sum += interleaved[f * m_channels + c];
            m_mono[std::size_t(f)] = sum * scale;
        }
        mono = m_mono.data();
    }
    m_mel->append(mono, frames);
    m_frames += frames;
}

void AudioViewData::appendSilence(qint64 frames) {
    constexpr qint64 kChunk = 16384;
    const std::vector<float> zeros(std::size_t(std::min(frames, kChunk) * m_channels), 0.0f);
    for (qint64 done = 0; done < frames;) {
        const qint64 n = std::min(kChunk, frames - done);
        appendFrames(zeros.data(), n);
        done += n;
    }
}

}  // namespace latent
