// The Image panel's latent editing: slider edits (undoable), the renders they
// ask for, and interpolation between two images.
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
// Slider edits and their renders

void ImagePanel::onSlidersEdited(const QList<double>& values) {
    if (m_selected < 0) return;
    LatentImage& li = m_images[std::size_t(m_selected)];
    if (!li.editable()) return;
    li.sliders.assign(values.begin(), values.end());
    li.latent = directionsFor(li.modelId).apply(li.base, li.sliders);
    requestRender();
}

void ImagePanel::onSlidersCommitted(const QList<double>& before, const QList<double>& after, const QString& text,
                                    int slider) {
    if (m_selected < 0 || !m_images[std::size_t(m_selected)].editable()) return;
    const LatentImage& li = m_images[std::size_t(m_selected)];
    LatentEditCommand::State from{li.base, std::vector<double>(before.begin(), before.end())};
    LatentEditCommand::State to{li.base, std::vector<double>(after.begin(), after.end())};
    m_undo->push(new LatentEditCommand(*this, m_selected, std::move(from), std::move(to), text, slider));
}

void ImagePanel::applyLatentState(int image, const LatentEditCommand::State& state) {
    if (image < 0 || image >= imageCount()) return;
    LatentImage& li = m_images[std::size_t(image)];
    li.base = state.base;
    li.sliders = state.sliders;
    li.latent = directionsFor(li.modelId).apply(li.base, li.sliders);
    // Undo in another image brings that image back into view.
    if (image != m_selected) selectImage(image);
    else refreshSliders();
    requestRender();
}

bool ImagePanel::isRendering() const {
    if (m_render || m_renderTimer->isActive()) return true;
    return std::any_of(m_images.begin(), m_images.end(),
                       [](const LatentImage& li) { return li.editable() && li.latent != li.shownLatent; });
}

void ImagePanel::requestRender() {
    if (m_render && m_renderClock.elapsed() < kRenderPatienceMs) {
        // The running render will be done soon: the newest state follows it
        // (or this timer, should it take longer).
        m_renderTimer->start(int(kRenderPatienceMs - m_renderClock.elapsed()) + 1);
        return;
    }
    submitRender();
}

std::optional<JobRequest> ImagePanel::renderRequest(const QString& modelId, const std::vector<float>& latents, int count,
                                                    const LatentImage* like, QString* why) const {
    const LatentCaps caps = capsFor(modelId);
    if (!caps.canRender()) {
        if (why)
            *why = caps.name.isEmpty() ? tr("Model %1 is no longer installed, so the edit cannot be rendered.").arg(modelId)
                                       : tr("%1 cannot decode latents, so the edit cannot be rendered.").arg(caps.name);
        return std::nullopt;
    }
    JobRequest r;
    r.modelId = modelId.toStdString();
    r.inputs.latent = latents;
    // Ahead of long queued work: someone is waiting for this.
    r.priority = 10;
    if (caps.decode) {
        r.task = "image.decode";
    } else {
        // TorchScript imports decode by sampling from the given latents with
        // the image's own settings (temperature, class).
        r.task = "image.sample";
        if (like) r.params = like->params;
        r.params["batch"] = std::int64_t(count);
    }
    if (like) r.seed = like->seed;
    return r;
}

void ImagePanel::submitRender() {
    m_renderTimer->stop();
    EngineBridge* bridge = studio().bridge();
    if (!bridge || studio().isShutDown()) return;
    // Every image whose latent moved since it was drawn; one model per job.
    std::vector<int> cells;
    QString model;
    std::vector<float> latents;
    std::vector<std::vector<float>> wanted;
    for (int i = 0; i < imageCount(); ++i) {
        const LatentImage& li = m_images[std::size_t(i)];
        if (!li.editable() || li.latent == li.shownLatent) continue;
        if (model.isEmpty()) model = li.modelId;
        if (li.modelId != model) continue;
        cells.push_back(i);
        wanted.push_back(li.latent);
        latents.insert(latents.end(), li.latent.begin(), li.latent.end());
    }
    if (cells.empty()) return;
    QString why;
    auto request = renderRequest(model, latents, int(cells.size()), &m_images[std::size_t(cells.front())], &why);
    if (!request) {
        showError(why);
        // Nothing will draw these latents: stop asking.
        for (int c : cells) m_images[std::size_t(c)].shownLatent = m_images[std::size_t(c)].latent;
        return;
    }
    request->lane = kSliderLane;
    request->label = tr("Latent sliders · %1").arg(capsFor(model).name).toStdString();
    // A newer request on the lane replaces a queued one and marks a running
    // one stale; dropping the old handle drops its late results.
    m_render = bridge->submit(std::move(*request));
    connect(m_render.get(), &JobHandle::chunk, this, [this](const JobInfo&, const ChunkPtr& c) { onRenderChunk(c); });
    connect(m_render.get(), &JobHandle::finished, this,
            [this](const JobInfo&, JobState state, const Provenance&) { onRenderEnded(state, {}); });
    connect(m_render.get(), &JobHandle::failed, this, [this](const JobInfo&, ErrorKind kind, const QString& message) {
        onRenderEnded(kind == ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed, message);
    });
    m_renderTargets = std::move(cells);
    m_renderLatents = std::move(wanted);
    m_renderClock.restart();
}

// ---------------------------------------------------------------------------
// Interpolation

bool ImagePanel::interpolate(InterpolationMode mode, int steps) {
    const LatentImage* a = imageAt(m_selected);
    const LatentImage* b = imageAt(m_second);
    updateInterpolationAvailability();
    if (!a || !b || !m_strip->isAvailable() || !studio().bridge()) return false;
    steps = std::clamp(steps, InterpolationStrip::kMinSteps, InterpolationStrip::kMaxSteps);
    auto latents = interpolateLatents(a->latent, b->latent, steps, mode);
    std::vector<float> flat;
    for (const auto& l : latents) flat.insert(flat.end(), l.begin(), l.end());
    QString why;
    auto request = renderRequest(a->modelId, flat, steps, a, &why);
    if (!request) {
        showError(why);
        return false;
    }
    request->lane = kInterpolationLane;
    request->label = tr("Interpolate · %1").arg(capsFor(a->modelId).name).toStdString();
    m_interpModel = a->modelId;
    m_interpLatents = std::move(latents);
    m_interpScores.assign(std::size_t(steps), {});
    m_strip->resetThumbnails(steps);
    m_strip->setBusy(true);
    m_interp = studio().bridge()->submit(std::move(*request));
    connect(m_interp.get(), &JobHandle::chunk, this,
            [this](const JobInfo&, const ChunkPtr& c) { onInterpolationChunk(c); });
    connect(m_interp.get(), &JobHandle::finished, this,
            [this](const JobInfo&, JobState state, const Provenance&) { onInterpolationEnded(state, {}); });
    connect(m_interp.get(), &JobHandle::failed, this, [this](const JobInfo&, ErrorKind kind, const QString& message) {
        onInterpolationEnded(kind == ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed, message);
    });
    spdlog::info("Image panel: interpolating images {} and {} in {} {} steps (job #{})", m_selected + 1,
                 m_second + 1, steps, mode == InterpolationMode::Spherical ? "spherical" : "linear", m_interp->id());
    return true;
}

bool ImagePanel::useInterpolationStep(int step) {
    if (step < 0 || step >= int(m_interpLatents.size()) || m_selected < 0) return false;
    const LatentImage& li = m_images[std::size_t(m_selected)];
    if (!li.editable() || li.modelId != m_interpModel || li.latent.size() != m_interpLatents[std::size_t(step)].size()) {
        showError(tr("Select an image of the same model to use this interpolation step."));
        return false;
    }
    LatentEditCommand::State from{li.base, li.sliders};
    LatentEditCommand::State to{m_interpLatents[std::size_t(step)], std::vector<double>(li.sliders.size(), 0.0)};
    m_undo->push(new LatentEditCommand(*this, m_selected, std::move(from), std::move(to),
                                       tr("Use interpolation step %1").arg(step + 1)));
    return true;
}

}  // namespace latent
