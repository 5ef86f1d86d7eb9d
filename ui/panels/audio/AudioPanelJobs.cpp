// The Audio panel's jobs: the main take (Generate or a keyboard note)
// streaming into the player and the views, the latent of what arrived, and
// the slider renders with their automatic re-play.
#include "panels/audio/AudioPanel.h"

#include <QTimer>
#include <QUndoStack>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "latent/ModelPackage.h"
#include "latent/qt/EngineBridge.h"

#include "app/Studio.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "audio/PianoKeyboard.h"
#include "audio/TransportBar.h"
#include "panels/audio/AudioSliderCommand.h"
#include "panels/image/LatentSliders.h"
#include "widgets/AudioViewData.h"
#include "widgets/AudioViewRange.h"
#include "widgets/ParamForm.h"

namespace latent {

// ---------------------------------------------------------------------------
// The main job

void AudioPanel::fillRequest(JobRequest& request) {
    // Transfer and encode read the opened sound: whole when short, else
    // streamed from its file by the model.
    if (!taskReadsInputSound(request.task) || m_inputFile.isEmpty()) return;
    request.inputs.audioFile = m_inputFile.toStdString();
    // Still loading: its length is not known yet, so the model reads the file.
    if (m_inputTake && m_inputTake->finished() && m_inputTake->durationSeconds() <= kMaxInlineInputSeconds) {
        AudioBlock whole;
        whole.sampleRateHz = m_inputTake->sampleRateHz();
        whole.channels = m_inputTake->channels();
        whole.totalFrames = m_inputTake->frames();
        whole.samples = makeSharedFloats(m_inputTake->readAll());
        whole.final = true;
        request.inputs.audio = std::move(whole);
    }
}

JobId AudioPanel::playNote(int midi, int velocity) {
    if (!canGenerate()) return 0;
    ParamMap values = paramForm()->values();
    if (!values.count("pitch")) return 0;
    values["pitch"] = std::int64_t(midi);
    if (values.count("velocity")) values["velocity"] = std::int64_t(velocity);
    paramForm()->setValues(values);  // Generate plays the same note again
    auto request = formRequest();
    if (!request) return 0;
    // A note is a sketch, not a result: it replaces the one before it and
    // stays out of the library (Export keeps one worth keeping).
    request->task = "audio.sample";
    request->lane = kNoteLane;
    request->record = false;
    request->priority = 10;
    request->label = tr("Note %1").arg(PianoKeyboard::noteName(midi)).toStdString();
    m_keyboard->setNoteActive(midi, true);
    QTimer::singleShot(250, m_keyboard, [k = m_keyboard, midi] { k->setNoteActive(midi, false); });
    return submit(std::move(*request));
}

void AudioPanel::jobStarting(const JobRequest& request) {
    m_mainRequest = request;
    m_mainStarted = false;
    // A running slider render belongs to the sound this job replaces.
    m_render.reset();
    m_renderTimer->stop();
}

void AudioPanel::chunkArrived(const JobInfo& job, const Chunk& chunk) {
    const auto* block = std::get_if<AudioBlock>(&chunk);
    if (!block || !block->samples || block->channels <= 0 || block->sampleRateHz <= 0) return;
    if (!m_mainStarted) {
        m_mainStarted = true;
        AudioSound s;
        s.modelId = QString::fromStdString(m_mainRequest.modelId);
        s.task = QString::fromStdString(job.task.empty() ? m_mainRequest.task : job.task);
        s.params = m_mainRequest.params;
        s.seed = job.seed ? job.seed : m_mainRequest.seed.value_or(0);
        s.title = tr("Job #%1 · seed %2").arg(job.id).arg(s.seed);
        if (s.readsInput()) {
            s.inputFile = m_inputFile;
            s.inputName = m_inputName;
        }
        m_sound = std::move(s);
        ++m_soundSerial;
        m_undo->clear();
        startTake(*block, /*keepPrevious=*/true);
    }
    appendBlock(*block);
    if (block->latent) adoptLatent(*block);
}

void AudioPanel::jobEnded(JobState state) {
    if (!m_mainStarted) return;
    finishTake();
    if (state == JobState::Finished && !lastProvenance().modelId.empty()) m_sound.provenance = lastProvenance();
    refreshSliders();
}

// ---------------------------------------------------------------------------
// Takes

void AudioPanel::startTake(const AudioBlock& first, bool keepPrevious, bool play) {
    if (keepPrevious && m_take && m_take->frames() > 0) m_previous = m_take;
    m_take = std::make_shared<AudioTake>(first.sampleRateHz, first.channels);
    if (m_comparing) {
        m_comparing = false;
        m_transport->setCompareChecked(false);
    }
    showTake(m_take);
    if (play && m_autoPlay) {
        if (m_player->available()) m_player->play();
        else showNoDeviceOnce();
    }
    updateActions();
}

// Points the views and the player at `take` (the views rebuild from its samples).
void AudioPanel::showTake(const std::shared_ptr<AudioTake>& take) {
    m_player->setTake(take);
    m_view->clear();
    if (take && take->frames() > 0) {
        AudioBlock all;
        all.sampleRateHz = take->sampleRateHz();
        all.channels = take->channels();
        all.totalFrames = take->finished() ? take->frames() : take->totalFrames();
        all.samples = makeSharedFloats(take->readAll());
        all.final = take->finished();
        m_view->appendBlock(all);
    }
    syncLoop();
    updateInfo();
}

void AudioPanel::appendBlock(const AudioBlock& block) {
    if (!m_take) return;
    if (!m_take->append(block)) {
        spdlog::warn("Audio panel: a block did not fit the take: {}", m_take->lastError().toStdString());
        return;
    }
    if (!m_comparing) m_view->appendBlock(block);
    updateInfo();
    updateActions();
}

void AudioPanel::finishTake() {
    if (m_take) m_take->finish();
    updateInfo();
    updateActions();
}

// ---------------------------------------------------------------------------
// Latents and sliders

void AudioPanel::adoptLatent(const AudioBlock& block) {
    const ModelPackage* p = package(m_sound.modelId);
    if (!p || block.latentDims <= 0) return;
    if (AudioLatentControls::isPathModel(*p)) {
        m_sound.edit = AudioSound::Edit::Path;
        m_sound.latentDims = block.latentDims;
        // A path render keeps its sliders; a new sound starts at 0.
        if (!m_sound.rendered) m_sound.sliders.assign(std::size_t(2 * block.latentDims), 0.0);
    } else if (block.latent->size() == std::size_t(block.latentDims)) {
        const bool decodable = std::find(p->tasks.begin(), p->tasks.end(), "audio.decode") != p->tasks.end();
        if (!decodable) return;
        m_sound.edit = AudioSound::Edit::Global;
        if (!m_sound.rendered) {
            m_sound.base = *block.latent;
            m_sound.sliders.clear();
        }
    }
    refreshSliders(!m_sound.rendered);
}

void AudioPanel::refreshSliders(bool values) {
    if (!m_sliders) return;
    const bool path = m_sound.edit == AudioSound::Edit::Path;
    const int dims = path ? m_sound.latentDims : int(m_sound.base.size());
    if (m_sound.editable() &&
        (m_controlsModel != m_sound.modelId || m_controlsPath != path || m_controlsDims != dims)) {
        const ModelPackage* p = package(m_sound.modelId);
        m_controls = !p ? AudioLatentControls{} : path ? AudioLatentControls::path(dims) : AudioLatentControls::global(*p, dims);
        m_controlsModel = m_sound.modelId;
        m_controlsPath = path;
        m_controlsDims = dims;
        m_sliders->setRows(m_controls.rows(), m_controls.source());
        if (!m_controls.message().isEmpty()) spdlog::warn("Audio panel: {}", m_controls.message().toStdString());
    }
    if (!m_sound.editable()) {
        m_sliders->setImageInfo({}, {});
        m_sliders->setMessage(m_sound.modelId.isEmpty() || !m_take
                                  ? QString()
                                  : tr("This sound has no latent the sliders can edit (its model reports none)."));
        return;
    }
    if (m_sound.sliders.size() != m_controls.rows().size()) m_sound.sliders.resize(m_controls.rows().size(), 0.0);
    const ModelPackage* p = package(m_sound.modelId);
    const QString model = p ? QString::fromStdString(p->name.empty() ? p->id : p->name) : m_sound.modelId;
    const bool transfer = m_sound.readsInput();
    QString details;
    if (!path) details = tr("%1 · every move re-renders and plays the sound").arg(model);
    else if (!transfer) details = tr("%1 · every move re-runs the model on the same random path").arg(model);
    else if (!m_sound.inputFile.isEmpty()) details = tr("%1 · every move re-runs the model on %2").arg(model, m_sound.inputName);
    else details = tr("%1 · open %2 and transfer it again to edit this sound").arg(model, m_sound.inputName);
    m_sliders->setImageInfo(m_sound.title, details);
    m_sliders->setMessage(m_controls.message());
    if (values) m_sliders->setValues(m_sound.sliders);
    if (m_shownValues.size() != m_sound.sliders.size()) m_shownValues = m_sound.sliders;
}

void AudioPanel::onSlidersEdited(const QList<double>& values) {
    if (!m_sound.editable()) return;
    m_sound.sliders.assign(values.begin(), values.end());
    requestRender();
}

void AudioPanel::onSlidersCommitted(const QList<double>& before, const QList<double>& after, const QString& text,
                                    int slider) {
    if (!m_sound.editable()) return;
    m_undo->push(new AudioSliderCommand(*this, m_soundSerial, std::vector<double>(before.begin(), before.end()),
                                        std::vector<double>(after.begin(), after.end()), text, slider));
}

void AudioPanel::applySliderValues(int sound, const std::vector<double>& values) {
    if (sound != m_soundSerial || !m_sound.editable() || values == m_sound.sliders) return;
    m_sound.sliders = values;
    if (m_sliders) m_sliders->setValues(values);
    requestRender();
}

JobId AudioPanel::renderJob() const { return m_render ? m_render->id() : 0; }

bool AudioPanel::isRendering() const {
    return m_render || m_renderTimer->isActive() || (m_sound.editable() && m_sound.sliders != m_shownValues);
}

void AudioPanel::requestRender() {
    if (m_render && m_renderClock.elapsed() < kRenderPatienceMs) {
        // The running render will be done soon: the newest values follow it.
        m_renderTimer->start(int(kRenderPatienceMs - m_renderClock.elapsed()) + 1);
        return;
    }
    submitRender();
}

std::optional<JobRequest> AudioPanel::renderRequest(QString* why) const {
    const ModelPackage* p = package(m_sound.modelId);
    if (!p) {
        if (why) *why = tr("Model %1 is no longer installed, so the edit cannot be rendered.").arg(m_sound.modelId);
        return std::nullopt;
    }
    JobRequest r;
    r.modelId = m_sound.modelId.toStdString();
    r.params = m_sound.params;
    r.seed = m_sound.seed;
    r.priority = 10;  // someone is listening for it
    r.lane = kSliderLane;
    r.record = false;
    r.label = tr("Latent sliders · %1").arg(QString::fromStdString(p->name.empty() ? p->id : p->name)).toStdString();
    if (m_sound.edit == AudioSound::Edit::Global) {
        r.task = "audio.decode";
        r.inputs.latent = m_controls.apply(m_sound.base, m_sound.sliders);
    } else {
        // The same path again (the seed's random trajectory, or the input
        // sound), edited per dimension.
        r.task = m_sound.task.toStdString();
        m_controls.pathEdit(m_sound.sliders, r.inputs.latentOffset, r.inputs.latentScale);
        if (taskReadsInputSound(r.task)) {
            if (m_sound.inputFile.isEmpty()) {
                if (why) *why = tr("The input sound of this transfer is not open any more; open it again to edit.");
                return std::nullopt;
            }
            r.inputs.audioFile = m_sound.inputFile.toStdString();
            if (r.task == "audio.encode") r.task = "audio.transfer";
        }
    }
    return r;
}

void AudioPanel::submitRender() {
    m_renderTimer->stop();
    EngineBridge* bridge = studio().bridge();
    if (!bridge || studio().isShutDown() || !m_sound.editable() || m_sound.sliders == m_shownValues) return;
    QString why;
    auto request = renderRequest(&why);
    if (!request) {
        showError(why);
        m_shownValues = m_sound.sliders;  // nothing will render these: stop asking
        return;
    }
    // A newer request on the lane replaces a queued one and marks a running
    // one stale; dropping the old handle drops its late blocks.
    m_render = bridge->submit(std::move(*request));
    m_renderValues = m_sound.sliders;
    m_renderStarted = false;
    connect(m_render.get(), &JobHandle::chunk, this, [this](const JobInfo&, const ChunkPtr& c) { onRenderChunk(c); });
    connect(m_render.get(), &JobHandle::finished, this,
            [this](const JobInfo&, JobState state, const Provenance&) { onRenderEnded(state, {}); });
    connect(m_render.get(), &JobHandle::failed, this, [this](const JobInfo&, ErrorKind kind, const QString& message) {
        onRenderEnded(kind == ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed, message);
    });
    m_renderClock.restart();
}

void AudioPanel::onRenderChunk(const ChunkPtr& chunk) {
    const auto* block = chunk ? std::get_if<AudioBlock>(chunk.get()) : nullptr;
    if (!block || !block->samples || block->channels <= 0 || block->sampleRateHz <= 0) return;
    if (!m_renderStarted) {
        m_renderStarted = true;
        // The first render of a sound keeps the unedited take for A/B.
        const bool keep = !m_sound.rendered;
        m_sound.rendered = true;
        startTake(*block, keep);
        m_shownValues = m_renderValues;
    }
    appendBlock(*block);
}

void AudioPanel::onRenderEnded(JobState state, const QString& error) {
    if (m_renderStarted) finishTake();
    m_render.reset();
    if (state == JobState::Failed && !error.isEmpty()) {
        showError(tr("The edit could not be rendered: %1").arg(error));
        m_shownValues = m_sound.sliders;
        return;
    }
    if (m_sound.sliders != m_shownValues) submitRender();
}

}  // namespace latent
