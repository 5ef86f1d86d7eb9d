#include "panels/audio/AudioPanel.h"

#include <QFrame>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace latent {

AudioPanel::AudioPanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Audio, studio, parent) {
    auto* box = new QFrame(this);
    box->setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(box);
    layout->addStretch(1);
    auto* icon = new QLabel(box);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/audio.svg")).pixmap(56, 56));
    icon->setAlignment(Qt::AlignCenter);
    icon->setEnabled(false);
    layout->addWidget(icon);
    auto* note = new QLabel(tr("The waveform of the generated audio and its playback controls will appear here."), box);
    note->setAlignment(Qt::AlignCenter);
    note->setWordWrap(true);
    note->setEnabled(false);
    layout->addWidget(note);
    m_summary = new QLabel(box);
    m_summary->setObjectName(QStringLiteral("audioSummary"));
    m_summary->setAlignment(Qt::AlignCenter);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addStretch(2);
    setOutputWidget(box);
    finishSetup();
}

double AudioPanel::receivedSeconds() const { return m_sampleRate > 0 ? double(m_frames) / m_sampleRate : 0.0; }

void AudioPanel::jobStarting(const JobRequest&) {
    m_sampleRate = 0;
    m_channels = 0;
    m_frames = 0;
    m_peak = 0;
    m_summary->clear();
}

void AudioPanel::chunkArrived(const JobInfo&, const Chunk& chunk) {
    const auto* block = std::get_if<AudioBlock>(&chunk);
    if (!block || !block->samples || block->channels <= 0) return;
    m_sampleRate = block->sampleRateHz;
    m_channels = block->channels;
    m_frames = std::max(m_frames, block->startFrame + block->frameCount());
    for (float s : *block->samples) m_peak = std::max(m_peak, std::abs(s));
    updateSummary(block->final);
}

void AudioPanel::jobEnded(JobState) { updateSummary(true); }

void AudioPanel::updateSummary(bool final) {
    if (m_frames == 0) return;
    const QString peak = m_peak > 0 ? tr("peak %1 dBFS").arg(20.0 * std::log10(double(m_peak)), 0, 'f', 1)
                                    : tr("silent");
    m_summary->setText(tr("%1 %2 s of audio · %3 Hz · %4 channel(s) · %5")
                           .arg(final ? tr("Received") : tr("Receiving…"))
                           .arg(receivedSeconds(), 0, 'f', 2)
                           .arg(m_sampleRate)
                           .arg(m_channels)
                           .arg(peak));
}

}  // namespace latent
