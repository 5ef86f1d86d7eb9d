// The Image panel's jobs: the main (Generate) job's frames and the events of
// its own edit jobs (slider renders, interpolation, encodes), each from its handle.
#include "panels/image/ImagePanel.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/qt/EngineBridge.h"

#include "app/Studio.h"
#include "models/ModelListModel.h"
#include "panels/image/InterpolationStrip.h"
#include "panels/image/LatentSliders.h"
#include "panels/image/SeedChangeCommand.h"
#include "widgets/Canvas.h"
#include "widgets/FrameImage.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

namespace latent {

// ---------------------------------------------------------------------------
// The main job

void ImagePanel::fillRequest(JobRequest& request) {
    const QString model = QString::fromStdString(request.modelId);
    // A sample's latents are drawn by the plugin from the seed (and reported
    // with each frame), so the GUI and the CLI make the same image.
    if (request.task == "image.decode") {
        // "Decode latents" from the form decodes the selected images (all editable ones when none is).
        std::vector<int> cells;
        if (m_selected >= 0) cells.push_back(m_selected);
        if (m_second >= 0) cells.push_back(m_second);
        if (cells.empty())
            for (int i = 0; i < imageCount(); ++i) cells.push_back(i);
        for (int i : cells)
            if (m_images[std::size_t(i)].editable() && m_images[std::size_t(i)].modelId == model)
                request.inputs.latent.insert(request.inputs.latent.end(), m_images[std::size_t(i)].latent.begin(),
                                             m_images[std::size_t(i)].latent.end());
    } else if (request.task == "image.encode" && m_lastOpened) {
        request.inputs.image = *m_lastOpened;
    }
}

void ImagePanel::cancelEditJobs() {
    if (m_render) m_render->cancel();
    if (m_interp) m_interp->cancel();
    for (const auto& [id, job] : m_encodeJobs) job.handle->cancel();
}

void ImagePanel::resetImages() {
    cancelEditJobs();
    m_render.reset();
    m_renderTimer->stop();
    m_renderTargets.clear();
    m_renderLatents.clear();
    m_interp.reset();
    m_interpLatents.clear();
    m_interpScores.clear();
    m_encodeJobs.clear();
    m_strip->setBusy(false);
    m_strip->resetThumbnails(0);
    m_images.clear();
    m_selected = m_second = -1;
    // The history edits cells that are about to disappear.
    m_undo->clear();
    m_canvas->clear();
    m_lastFrameText.clear();
    updateSelection();
}

void ImagePanel::jobStarting(const JobRequest& request) {
    resetImages();
    // Reserve the grid when the schema has a batch size.
    if (auto it = request.params.find("batch"); it != request.params.end())
        if (auto* n = std::get_if<std::int64_t>(&it->second)) m_canvas->setExpectedCount(int(*n));
    m_acceptMain = true;
    m_mainModel = QString::fromStdString(request.modelId);
    m_mainTask = QString::fromStdString(request.task);
    m_mainParams = request.params;
    m_seedShown = request.seed.value_or(m_seedShown);
    m_suggestedName = QStringLiteral("%1-%2.png").arg(QString::fromStdString(request.modelId)).arg(request.seed.value_or(0));
}

LatentImage& ImagePanel::ensureImage(int index) {
    if (index >= imageCount()) m_images.resize(std::size_t(index) + 1);
    return m_images[std::size_t(index)];
}

void ImagePanel::chunkArrived(const JobInfo& job, const Chunk& chunk) {
    if (!m_acceptMain) return;  // opened files own the canvas now
    if (const auto* line = std::get_if<LogLine>(&chunk)) {
        // A model's warning about this job (e.g. "resized to 28×28") is worth seeing.
        if (line->level >= LogLevel::Warning)
            banner()->showMessage(MessageBanner::Kind::Info, QString::fromStdString(line->message));
        return;
    }
    const auto* frame = std::get_if<ImageFrame>(&chunk);
    if (!frame) return;
    const QImage img = imageFromFrame(*frame);
    if (img.isNull()) {
        spdlog::warn("Image panel: dropped a malformed frame ({}x{}, {} bytes)", frame->width, frame->height,
                     frame->rgba ? frame->rgba->size() : 0);
        return;
    }
    LatentImage& li = ensureImage(frame->index);
    li.image = img;
    li.modelId = m_mainModel;
    li.seed = job.seed;
    li.batchIndex = frame->index;
    li.params = m_mainParams;
    li.final = frame->final;
    li.origin = tr("seed %1").arg(job.seed);
    if (!frame->scores.empty()) li.scores = frame->scores;
    const int dim = capsFor(m_mainModel).dim;
    std::vector<float> latent;
    if (frame->latent) latent = *frame->latent;
    if (dim > 0 && int(latent.size()) != dim) latent.clear();  // not this model's space: not editable
    li.latent = li.base = li.shownLatent = latent;
    li.sliders.assign(directionsFor(m_mainModel).size(), 0.0);
    m_canvas->setFrame(frame->index, img);
    m_lastFrameText = frame->final ? tr("%1 × %2 px").arg(frame->width).arg(frame->height)
                                   : tr("%1 × %2 px · step %3 / %4")
                                         .arg(frame->width)
                                         .arg(frame->height)
                                         .arg(frame->step)
                                         .arg(frame->totalSteps);
    // The first editable image is selected, so the sliders have something to edit.
    if (m_selected < 0 && li.editable() && frame->final) {
        selectImage(frame->index);
    } else if (frame->index == m_selected || frame->index == m_second) {
        refreshSliders(frame->index == m_selected);
        updateInterpolationAvailability();
    } else if (m_selected >= 0) {
        refreshSliders(/*values=*/false);  // "Image 1 of N" grows with the batch
    }
    updateFrameInfo();
    updateZoomLabel();
}

void ImagePanel::jobEnded(JobState state) {
    if (m_acceptMain && state == JobState::Finished && !lastProvenance().modelId.empty())
        for (LatentImage& li : m_images) li.provenance = lastProvenance();
    updateActions();
}

// ---------------------------------------------------------------------------
// Events of the panel's own edit jobs, each from its job's handle (the main
// job goes through GenerationPanel and chunkArrived).

void ImagePanel::onRenderChunk(const ChunkPtr& chunk) {
    const auto* frame = std::get_if<ImageFrame>(chunk.get());
    if (!frame || frame->index < 0 || frame->index >= int(m_renderTargets.size())) return;
    const int cell = m_renderTargets[std::size_t(frame->index)];
    const QImage img = imageFromFrame(*frame);
    if (img.isNull() || cell >= imageCount()) return;
    LatentImage& li = m_images[std::size_t(cell)];
    li.image = img;
    li.shownLatent = m_renderLatents[std::size_t(frame->index)];
    if (!frame->scores.empty()) li.scores = frame->scores;
    m_canvas->setFrame(cell, img);
    if (cell == m_selected) {
        refreshSliders(/*values=*/false);
        updateFrameInfo();
    }
}

void ImagePanel::onRenderEnded(JobState state, const QString& error) {
    m_render.reset();
    if (state == JobState::Finished) {
        submitRender();  // edits made meanwhile render now
    } else if (state == JobState::Failed) {
        showError(tr("Rendering the edited latent failed: %1").arg(error));
        // Do not retry the same latents in a loop.
        for (int c : m_renderTargets)
            if (c < imageCount()) m_images[std::size_t(c)].shownLatent = m_images[std::size_t(c)].latent;
    }
}

void ImagePanel::onInterpolationChunk(const ChunkPtr& chunk) {
    const auto* frame = std::get_if<ImageFrame>(chunk.get());
    if (!frame || frame->index < 0 || frame->index >= int(m_interpLatents.size())) return;
    const QImage img = imageFromFrame(*frame);
    if (img.isNull()) return;
    m_interpScores[std::size_t(frame->index)] = frame->scores;
    const int n = int(m_interpLatents.size());
    QString tip = tr("Step %1 of %2 · t = %3").arg(frame->index + 1).arg(n).arg(double(frame->index) / (n - 1), 0, 'f', 2);
    const QString scores = formatScores(frame->scores);
    if (!scores.isEmpty()) tip += QStringLiteral(" · ") + scores;
    tip += tr("\nClick to make it the selected image's base latent");
    m_strip->setThumbnail(frame->index, img, tip);
}

void ImagePanel::onInterpolationEnded(JobState state, const QString& error) {
    m_interp.reset();
    m_strip->setBusy(false);
    if (state == JobState::Failed) showError(tr("Interpolation failed: %1").arg(error));
}

void ImagePanel::onEncodeChunk(JobId job, const ChunkPtr& chunk) {
    const auto enc = m_encodeJobs.find(job);
    if (enc == m_encodeJobs.end()) return;
    const int cell = enc->second.cell;
    if (const auto* line = std::get_if<LogLine>(chunk.get())) {
        // E.g. "the image is 300×200; it was cropped and resized to the model's 28×28".
        // (The engine logs it already; the banner is for the user.)
        if (line->level >= LogLevel::Warning)
            banner()->showMessage(MessageBanner::Kind::Info,
                                  QStringLiteral("%1: %2").arg(enc->second.name, QString::fromStdString(line->message)));
        return;
    }
    const auto* frame = std::get_if<ImageFrame>(chunk.get());
    if (!frame || cell < 0 || cell >= imageCount()) return;
    const QImage img = imageFromFrame(*frame);
    if (img.isNull()) return;
    LatentImage& li = m_images[std::size_t(cell)];
    li.image = img;
    li.final = frame->final;
    if (!frame->scores.empty()) li.scores = frame->scores;
    const int dim = capsFor(li.modelId).dim;
    if (frame->final && frame->latent && (dim == 0 || int(frame->latent->size()) == dim)) {
        li.latent = li.base = li.shownLatent = *frame->latent;
        li.sliders.assign(directionsFor(li.modelId).size(), 0.0);
    }
    m_canvas->setFrame(cell, img);
    m_lastFrameText = frame->final ? tr("%1 × %2 px").arg(frame->width).arg(frame->height)
                                   : tr("%1 × %2 px · encoding step %3 / %4")
                                         .arg(frame->width)
                                         .arg(frame->height)
                                         .arg(frame->step)
                                         .arg(frame->totalSteps);
    if (cell == m_selected) {
        refreshSliders();
        updateInterpolationAvailability();
    }
    updateFrameInfo();
}

void ImagePanel::onEncodeEnded(JobId job, JobState state, const Provenance& provenance, const QString& error) {
    const auto enc = m_encodeJobs.find(job);
    if (enc == m_encodeJobs.end()) return;
    const QString name = enc->second.name;
    const int cell = enc->second.cell;
    m_encodeJobs.erase(enc);
    if (cell < 0 || cell >= imageCount()) return;
    LatentImage& li = m_images[std::size_t(cell)];
    li.final = true;
    if (state == JobState::Finished) {
        li.provenance = provenance;
        if (m_selected < 0 && li.editable()) selectImage(cell);
        else if (cell == m_selected) updateSelection();
    } else {
        if (state == JobState::Failed) showError(tr("Encoding %1 failed: %2").arg(name, error));
        updateSelection();
    }
}

}  // namespace latent
