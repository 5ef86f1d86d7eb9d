// The Audio panel's files: opening sounds (block by block, so a two-hour
// recording never sits whole in a widget), restoring Latent Studio exports
// from their comment tag, and exporting with provenance.
#include "panels/audio/AudioPanel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/media/AudioExport.h"

#include "app/Studio.h"
#include "app/AppSettings.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "audio/TransportBar.h"
#include "panels/image/LatentSliders.h"
#include "widgets/AudioViewData.h"
#include "widgets/MessageBanner.h"
#include "widgets/WaveformView.h"

namespace latent {

namespace {
// The user picked the file in a save dialog that asked before replacing it:
// a symlink there means its target; a read-only file is still refused.
constexpr AtomicWriteOptions kExportWrite{.followSymlink = true};
// Frames read per timer tick while opening: about a second at 48 kHz, so
// the window stays responsive however long the file.
constexpr std::int64_t kReadFrames = 1 << 16;
constexpr int kReadsPerTick = 4;

// ~/Music when it exists (a dialog given a missing folder puts its name in the file field), else home.
QString musicFolder() {
    const QString music = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    return QFileInfo(music).isDir() ? music : QDir::homePath();
}

}  // namespace

// ---------------------------------------------------------------------------
// Opening

void AudioPanel::openAudioInteractive() {
    QSettings& store = studio().settings().store();
    QString dir = store.value(QStringLiteral("paths/lastAudioOpenDir")).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) dir = musicFolder();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open sound"), dir,
        tr("Sounds (*.wav *.flac *.ogg *.oga *.mp3 *.aif *.aiff);;All files (*)"));
    if (path.isEmpty()) return;
    store.setValue(QStringLiteral("paths/lastAudioOpenDir"), QFileInfo(path).absolutePath());
    openAudioFile(path);
}

bool AudioPanel::openAudioFile(const QString& path, QString* error, const QString& shownName) {
    const QString name = shownName.isEmpty() ? QFileInfo(path).fileName() : shownName;
    auto fail = [&](const QString& why) {
        spdlog::error("Open sound {}: {}", path.toStdString(), why.toStdString());
        showError(why);
        if (error) *error = why;
        return false;
    };
    std::unique_ptr<AudioFileReader> reader;
    std::optional<Provenance> provenance;
    QStringList notices;
    try {
        reader = std::make_unique<AudioFileReader>(path.toStdString());
        try {
            provenance = provenanceFromTags(reader->info().tags);
        } catch (const Error& e) {
            notices << tr("its settings could not be read (%1)").arg(QString::fromUtf8(e.what()));
        }
    } catch (const Error& e) {
        return fail(tr("%1 cannot be opened: %2").arg(name, QString::fromUtf8(e.what())));
    } catch (const std::exception& e) {
        return fail(tr("%1 cannot be opened: %2").arg(name, QString::fromUtf8(e.what())));
    }
    const AudioFileInfo& info = reader->info();
    if (info.channels <= 0 || info.sampleRateHz <= 0) return fail(tr("%1 holds no audio.").arg(name));

    // The file replaces whatever is on show; a job still streaming stops.
    if (isJobActive()) stop();
    m_render.reset();
    m_renderTimer->stop();
    m_reader = std::move(reader);
    m_openPath = path;
    m_openName = name;
    m_openFrames = 0;
    m_openProvenance = std::move(provenance);
    m_openNotices = notices;
    for (const std::string& n : m_reader->notices()) m_openNotices << QString::fromStdString(n);
    AudioBlock first;
    first.sampleRateHz = m_reader->outputRateHz();
    first.channels = m_reader->outputChannels();
    startTake(first, /*keepPrevious=*/true, /*play=*/false);
    setSoundFromFile(path, name);
    setStatus(tr("Opening %1…").arg(name));
    spdlog::info("Audio panel: opening {} ({}, {} Hz, {} channel(s), {:.1f} s)", path.toStdString(), info.formatName,
                 info.sampleRateHz, info.channels, info.seconds());
    m_readTimer->start();
    readMore();
    return true;
}

void AudioPanel::setSoundFromFile(const QString& path, const QString& name) {
    AudioSound s;
    s.title = name;
    m_sound = std::move(s);
    ++m_soundSerial;
    m_undo->clear();
    m_inputFile = path;
    m_inputName = name;
    m_inputTake = m_take;
    refreshSliders();
}

void AudioPanel::readMore() {
    if (!m_reader) {
        m_readTimer->stop();
        return;
    }
    try {
        const int rate = m_reader->outputRateHz();
        const int channels = m_reader->outputChannels();
        const auto playable = std::int64_t(kMaxPlaySeconds * rate);
        for (int i = 0; i < kReadsPerTick; ++i) {
            std::vector<float> samples = m_reader->read(kReadFrames);
            if (samples.empty()) return finishOpening(true, {});
            AudioBlock block;
            block.sampleRateHz = rate;
            block.channels = channels;
            block.startFrame = m_openFrames;
            const std::int64_t frames = std::int64_t(samples.size()) / channels;
            m_openFrames += frames;
            block.samples = makeSharedFloats(std::move(samples));
            // The views summarise every block while the file is on show (a
            // Generate may have replaced it: reading goes on for its input);
            // the take keeps what can play.
            const bool shown = m_take == m_inputTake;
            if (shown && !m_comparing) m_view->appendBlock(block);
            if (block.startFrame < playable) {
                if (block.startFrame + frames > playable) {
                    std::vector<float> cut(block.samples->begin(),
                                           block.samples->begin() + (playable - block.startFrame) * channels);
                    block.samples = makeSharedFloats(std::move(cut));
                }
                m_inputTake->append(block);
            }
        }
        updateInfo();
    } catch (const std::exception& e) {
        finishOpening(false, QString::fromUtf8(e.what()));
    }
}

void AudioPanel::finishOpening(bool ok, const QString& error) {
    m_readTimer->stop();
    m_reader.reset();
    m_inputTake->finish();
    const int rate = m_inputTake->sampleRateHz();
    if (m_take != m_inputTake) return;  // replaced while it loaded: nothing more to show
    if (m_openFrames > std::int64_t(kMaxPlaySeconds * rate))
        m_openNotices << tr("it is %1 min long: the first %2 min play and go to models")
                             .arg(double(m_openFrames) / rate / 60.0, 0, 'f', 0)
                             .arg(kMaxPlaySeconds / 60.0, 0, 'f', 0);
    if (!ok) {
        // What was read still shows and plays; say where it stopped.
        showError(tr("%1 could only be read up to %2: %3")
                      .arg(m_openName, TransportBar::formatTime(m_openFrames, rate), error));
    } else if (m_openFrames == 0) {
        showError(tr("%1 holds no audio frames.").arg(m_openName));
    }
    if (m_openProvenance && m_openFrames > 0) {
        restoreFromProvenance(*m_openProvenance, m_openName, m_openNotices);
    } else if (m_openFrames > 0) {
        // A sound no model made: what a user opens it for is to send it
        // through the model (timbre transfer), so that task comes up.
        const int transfer = taskPicker()->findData(QStringLiteral("audio.transfer"));
        if (transfer >= 0) taskPicker()->setCurrentIndex(transfer);
    }
    if (ok && !m_openNotices.isEmpty())
        banner()->showMessage(MessageBanner::Kind::Info,
                              tr("Opened %1: %2.").arg(m_openName, m_openNotices.join(QStringLiteral("; "))));
    if (!m_openProvenance && currentTaskId() == QLatin1String("audio.transfer"))
        setStatus(tr("Opened %1 · Generate transfers it through the model").arg(m_openName));
    else
        setStatus(tr("Opened %1").arg(m_openName));
    m_waveform->update();
    updateInfo();
    updateActions();
}

bool AudioPanel::restoreFromProvenance(const Provenance& p, const QString& name, QStringList& notices) {
    QString why;
    if (!GenerationPanel::applyProvenance(p, &why)) {
        notices << why;
        return false;
    }
    AudioSound s;
    s.title = name;
    s.modelId = QString::fromStdString(p.modelId);
    s.task = QString::fromStdString(p.task);
    s.params = p.params;
    s.seed = p.seed;
    s.provenance = p;
    s.inputName = QString::fromStdString(p.inputName);
    const ModelPackage* pkg = package(s.modelId);
    if (pkg && AudioLatentControls::isPathModel(*pkg)) {
        const int dims = pkg->latent.value("dimension", 0);
        if (dims > 0) {
            s.edit = AudioSound::Edit::Path;
            s.latentDims = dims;
            s.sliders = AudioLatentControls::path(dims).valuesFromPathEdit(p.latentOffset, p.latentScale);
        }
        if (s.task == QLatin1String("audio.transfer"))
            notices << tr("to edit it again, open its input %1 and transfer it").arg(s.inputName);
    } else if (pkg && !p.latent.empty()) {
        s.edit = AudioSound::Edit::Global;
        s.base = p.latentBase.empty() ? p.latent : p.latentBase;
        const AudioLatentControls controls = AudioLatentControls::global(*pkg, int(s.base.size()));
        for (const LatentDirection& d : controls.rows()) {
            const auto it = p.sliders.find(d.name);
            s.sliders.push_back(it == p.sliders.end() ? 0.0 : it->second);
        }
    }
    if (s.task == QLatin1String("audio.transfer")) s.inputFile.clear();
    s.rendered = true;  // what shows is the file, as exported
    m_sound = std::move(s);
    ++m_soundSerial;
    m_undo->clear();
    m_shownValues = m_sound.sliders;
    refreshSliders();
    spdlog::info("Audio panel: restored {} (model {}, seed {})", name.toStdString(), p.modelId, p.seed);
    return true;
}

// ---------------------------------------------------------------------------
// Export

std::optional<AudioFileFormat> AudioPanel::formatForPath(const QString& path, AudioFileFormat wav) {
    const AudioFileFormat f = audioFormatForPath(path.toStdString());
    if (f == AudioFileFormat::Invalid) return std::nullopt;
    if (f == AudioFileFormat::Wav16) return wav;
    return f;
}

Provenance AudioPanel::exportProvenance() const {
    Provenance p = m_sound.provenance;
    if (p.modelId.empty() && !m_sound.modelId.isEmpty()) {
        p.modelId = m_sound.modelId.toStdString();
        p.task = m_sound.task.toStdString();
        p.params = m_sound.params;
        p.seed = m_sound.seed;
    }
    if (!m_sound.inputName.isEmpty()) p.inputName = m_sound.inputName.toStdString();
    if (!m_sound.editable()) return p;
    const std::vector<double>& shown = m_shownValues.size() == m_sound.sliders.size() ? m_shownValues : m_sound.sliders;
    p.sliders.clear();
    for (std::size_t i = 0; i < m_controls.rows().size() && i < shown.size(); ++i)
        if (shown[i] != 0.0) p.sliders[m_controls.rows()[i].name] = shown[i];
    if (m_sound.edit == AudioSound::Edit::Global) {
        const std::vector<float> latent = m_controls.apply(m_sound.base, shown);
        // An edited sound is re-made by decoding its latent.
        if (!p.sliders.empty()) p.task = "audio.decode";
        p.latentBase = p.sliders.empty() ? std::vector<float>{} : m_sound.base;
        attachAudioLatent(p, latent);
    } else {
        m_controls.pathEdit(shown, p.latentOffset, p.latentScale);
    }
    return p;
}

bool AudioPanel::exportAudioFile(const QString& path, AudioFileFormat format, QString* error) const {
    const std::shared_ptr<AudioTake>& t = m_take;
    if (!t || t->frames() <= 0) {
        if (error) *error = tr("There is no sound to export yet.");
        return false;
    }
    AudioClip clip;
    clip.sampleRateHz = t->sampleRateHz();
    clip.channels = t->channels();
    clip.samples = t->readAll();
    try {
        exportAudio(path.toStdString(), clip, format, exportProvenance(), kExportWrite);
    } catch (const std::exception& e) {
        if (error) *error = tr("%1 could not be written: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

void AudioPanel::exportAudioInteractive() {
    if (!m_take || m_take->frames() <= 0) return;
    QSettings& store = studio().settings().store();
    QString dir = store.value(QStringLiteral("paths/lastAudioSaveDir")).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) dir = musicFolder();
    QString base = m_sound.modelId.isEmpty() ? QFileInfo(m_sound.title).completeBaseName()
                                             : QStringLiteral("%1-%2").arg(m_sound.modelId).arg(m_sound.seed);
    if (base.isEmpty()) base = QStringLiteral("sound");
    const QString flac24 = tr("FLAC 24-bit (*.flac)");
    const QString flac16 = tr("FLAC 16-bit (*.flac)");
    const QString wav16 = tr("WAV 16-bit (*.wav)");
    const QString wav24 = tr("WAV 24-bit (*.wav)");
    const QString wavFloat = tr("WAV 32-bit float (*.wav)");
    const QString ogg = tr("Ogg Vorbis (*.ogg)");
    const std::vector<std::pair<QString, AudioFileFormat>> formats = {
        {flac24, AudioFileFormat::Flac24}, {flac16, AudioFileFormat::Flac16},  {wav16, AudioFileFormat::Wav16},
        {wav24, AudioFileFormat::Wav24},   {wavFloat, AudioFileFormat::WavFloat}, {ogg, AudioFileFormat::OggVorbis}};
    QStringList filters;
    for (const auto& f : formats) filters << f.first;
    QString filter = store.value(QStringLiteral("audio/exportFilter"), flac24).toString();
    if (!filters.contains(filter)) filter = flac24;
    AudioFileFormat chosen = AudioFileFormat::Flac24;
    for (const auto& f : formats)
        if (f.first == filter) chosen = f.second;
    const QString suggested = QDir(dir).filePath(base + (chosen == AudioFileFormat::OggVorbis ? QStringLiteral(".ogg")
                                                         : chosen == AudioFileFormat::Flac16 || chosen == AudioFileFormat::Flac24
                                                             ? QStringLiteral(".flac")
                                                             : QStringLiteral(".wav")));
    QString path = QFileDialog::getSaveFileName(this, tr("Export sound"), suggested, filters.join(QStringLiteral(";;")),
                                                &filter);
    if (path.isEmpty()) return;
    for (const auto& f : formats)
        if (f.first == filter) chosen = f.second;
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool isWav = chosen == AudioFileFormat::Wav16 || chosen == AudioFileFormat::Wav24 || chosen == AudioFileFormat::WavFloat;
    const QString wanted = chosen == AudioFileFormat::OggVorbis ? QStringLiteral("ogg") : isWav ? QStringLiteral("wav") : QStringLiteral("flac");
    // The suffix the user typed wins over the filter (with the filter's bit depth where it fits).
    AudioFileFormat format = chosen;
    if (suffix != wanted && !(wanted == QLatin1String("ogg") && suffix == QLatin1String("oga"))) {
        const auto typed = formatForPath(path, isWav ? chosen : AudioFileFormat::Wav16);
        if (typed) format = *typed;
        else path += QLatin1Char('.') + wanted;
    }
    QString error;
    if (!exportAudioFile(path, format, &error)) {
        spdlog::error("Export sound: {}", error.toStdString());
        showError(error);
        return;
    }
    store.setValue(QStringLiteral("paths/lastAudioSaveDir"), QFileInfo(path).absolutePath());
    store.setValue(QStringLiteral("audio/exportFilter"), filter);
    setStatus(tr("Exported %1 (%2)").arg(QFileInfo(path).fileName(), QString::fromLatin1(audioFormatName(format))));
    spdlog::info("Exported sound {} ({})", path.toStdString(), audioFormatName(format));
}

}  // namespace latent
