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

namespace {

QToolButton* toolButton(QAction* action, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    return b;
}

// "3.21 bits/dim · ELBO −241 nats": the scores the latent families report.
QString formatScores(const std::map<std::string, double>& scores) {
    QStringList parts;
    auto number = [](double v, int decimals) {
        QString s = QString::number(std::abs(v), 'f', decimals);
        return v < 0 ? QStringLiteral("\u2212") + s : s;
    };
    for (const auto& [name, value] : scores) {
        if (name == "bits_per_dim") parts << QObject::tr("%1 bits/dim").arg(number(value, 2));
        else if (name == "elbo_nats") parts << QObject::tr("ELBO %1 nats").arg(number(value, std::abs(value) < 100 ? 1 : 0));
        else parts << QStringLiteral("%1 %2").arg(QString::fromStdString(name), number(value, 3));
    }
    return parts.join(QStringLiteral(" · "));
}

bool hasTask(const ModelPackage& p, const char* task) {
    return std::find(p.tasks.begin(), p.tasks.end(), task) != p.tasks.end();
}

}  // namespace

ImagePanel::ImagePanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Image, studio, parent) {
    m_undo = new QUndoStack(this);
    m_sliders = new LatentSliders;  // parentless until the window docks it
    m_renderTimer = new QTimer(this);
    m_renderTimer->setSingleShot(true);
    connect(m_renderTimer, &QTimer::timeout, this, &ImagePanel::submitRender);
    setOutputWidget(buildOutput());

    connect(m_sliders, &LatentSliders::valuesEdited, this, &ImagePanel::onSlidersEdited);
    connect(m_sliders, &LatentSliders::editCommitted, this, &ImagePanel::onSlidersCommitted);
    m_sliders->addToolAction(m_undoAction);
    m_sliders->addToolAction(m_redoAction);

    connect(studio.models(), &QAbstractItemModel::modelReset, this, [this] {
        // A rescan may have changed a package's directions.
        m_directions.clear();
        m_slidersModel.clear();
        refreshSliders();
    });
    finishSetup();

    // SeedEdit has no change signal of its own; its line edit does.
    m_seedLine = seedEdit()->findChild<QLineEdit*>(QStringLiteral("seedValue"));
    m_seedShown = seedEdit()->seed();
    if (m_seedLine) connect(m_seedLine, &QLineEdit::textChanged, this, &ImagePanel::onSeedTextChanged);
    refreshSliders();
}

ImagePanel::~ImagePanel() {
    // Edits in flight are of no use once the panel is gone.
    if (!studio().isShutDown()) cancelEditJobs();
    if (m_sliders && !m_sliders->parent()) delete m_sliders.data();
}

LatentSliders* ImagePanel::latentSliders() const { return m_sliders.data(); }

QWidget* ImagePanel::buildOutput() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_canvas = new Canvas(box);
    m_canvas->setPlaceholderText(tr("Generated images appear here.\nDrop an image file to open or encode it."));
    auto makeAction = [this](const QString& icon, const QString& text, const QList<QKeySequence>& keys) {
        auto* a = new QAction(QIcon(QStringLiteral(":/icons/") + icon), text, this);
        a->setShortcuts(keys);
        // Scoped to this panel so the other panels can use the same keys.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        if (!keys.isEmpty())
            a->setToolTip(QStringLiteral("%1 (%2)").arg(text, keys.front().toString(QKeySequence::NativeText)));
        addAction(a);
        return a;
    };
    QAction* zoomOut = makeAction(QStringLiteral("zoom-out.svg"), tr("Zoom out"),
                                  {QKeySequence(QStringLiteral("Ctrl+-")), QKeySequence::ZoomOut});
    QAction* zoomIn = makeAction(QStringLiteral("zoom-in.svg"), tr("Zoom in"),
                                 {QKeySequence(QStringLiteral("Ctrl+=")), QKeySequence::ZoomIn});
    QAction* fit = makeAction(QStringLiteral("zoom-fit.svg"), tr("Fit to view"), {QKeySequence(QStringLiteral("Ctrl+0"))});
    QAction* actual = makeAction(QStringLiteral("zoom-100.svg"), tr("Actual size (100%)"),
                                 {QKeySequence(QStringLiteral("Ctrl+1"))});
    // Ctrl+O belongs to File > Open image…, which works from every panel.
    m_openAction = makeAction(QStringLiteral("open.svg"), tr("Open image…"), {});
    m_openAction->setObjectName(QStringLiteral("openImage"));
    m_openAction->setToolTip(tr("Open a Latent Studio export to continue editing it, or any image to encode it "
                                "(Ctrl+O; dropping files on the canvas works too)"));
    m_undoAction = makeAction(QStringLiteral("undo.svg"), tr("Undo"), {QKeySequence::Undo});
    m_undoAction->setObjectName(QStringLiteral("undoEdit"));
    QList<QKeySequence> redoKeys{QKeySequence(QStringLiteral("Ctrl+Shift+Z"))};
    if (QKeySequence(QKeySequence::Redo) != redoKeys.front()) redoKeys << QKeySequence(QKeySequence::Redo);
    m_redoAction = makeAction(QStringLiteral("redo.svg"), tr("Redo"), redoKeys);
    m_redoAction->setObjectName(QStringLiteral("redoEdit"));
    m_undoAction->setEnabled(false);
    m_redoAction->setEnabled(false);
    connect(m_undoAction, &QAction::triggered, m_undo, &QUndoStack::undo);
    connect(m_redoAction, &QAction::triggered, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::canUndoChanged, m_undoAction, &QAction::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, m_redoAction, &QAction::setEnabled);
    connect(m_undo, &QUndoStack::undoTextChanged, this, [this](const QString& t) {
        m_undoAction->setToolTip(t.isEmpty() ? tr("Undo (Ctrl+Z)") : tr("Undo %1 (Ctrl+Z)").arg(t));
    });
    connect(m_undo, &QUndoStack::redoTextChanged, this, [this](const QString& t) {
        m_redoAction->setToolTip(t.isEmpty() ? tr("Redo (Ctrl+Shift+Z)") : tr("Redo %1 (Ctrl+Shift+Z)").arg(t));
    });
    m_undoAction->setToolTip(tr("Undo (Ctrl+Z)"));
    m_redoAction->setToolTip(tr("Redo (Ctrl+Shift+Z)"));

    m_saveAction = new QAction(QIcon(QStringLiteral(":/icons/save.svg")), tr("Save image…"), this);
    m_saveAction->setObjectName(QStringLiteral("saveImage"));
    m_saveAction->setToolTip(tr("Save the selected image (the whole grid when none is: click beside the images) as PNG, "
                                "JPEG or WebP (Ctrl+S)"));
    m_saveAction->setEnabled(false);
    connect(zoomOut, &QAction::triggered, m_canvas, &Canvas::zoomOut);
    connect(zoomIn, &QAction::triggered, m_canvas, &Canvas::zoomIn);
    connect(fit, &QAction::triggered, m_canvas, &Canvas::zoomToFit);
    connect(actual, &QAction::triggered, m_canvas, &Canvas::zoomActualSize);
    connect(m_saveAction, &QAction::triggered, this, &ImagePanel::saveImageInteractive);
    connect(m_openAction, &QAction::triggered, this, &ImagePanel::openImageInteractive);

    auto* bar = new QHBoxLayout;
    bar->setSpacing(2);
    bar->addWidget(toolButton(zoomOut, box));
    bar->addWidget(toolButton(zoomIn, box));
    bar->addWidget(toolButton(fit, box));
    bar->addWidget(toolButton(actual, box));
    m_zoomLabel = new QLabel(box);
    m_zoomLabel->setMinimumWidth(52);
    m_zoomLabel->setAlignment(Qt::AlignCenter);
    bar->addWidget(m_zoomLabel);
    bar->addSpacing(8);
    bar->addWidget(toolButton(m_undoAction, box));
    bar->addWidget(toolButton(m_redoAction, box));
    bar->addStretch(1);
    m_frameInfo = new QLabel(box);
    m_frameInfo->setObjectName(QStringLiteral("frameInfo"));
    m_frameInfo->setEnabled(false);
    bar->addWidget(m_frameInfo);
    bar->addSpacing(12);
    auto* open = toolButton(m_openAction, box);
    open->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(open);
    auto* save = toolButton(m_saveAction, box);
    save->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(save);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);

    m_strip = new InterpolationStrip(box);
    layout->addWidget(m_strip);

    connect(m_canvas, &Canvas::zoomChanged, this, &ImagePanel::updateZoomLabel);
    connect(m_canvas, &Canvas::contentChanged, this, &ImagePanel::updateActions);
    connect(m_canvas, &Canvas::cellClicked, this, &ImagePanel::onCellClicked);
    connect(m_canvas, &Canvas::filesDropped, this, [this](const QStringList& paths) { openImages(paths); });
    connect(m_strip, &InterpolationStrip::interpolateRequested, this,
            [this](InterpolationMode mode, int steps) { interpolate(mode, steps); });
    connect(m_strip, &InterpolationStrip::thumbnailClicked, this, [this](int i) { useInterpolationStep(i); });
    updateZoomLabel();
    return box;
}

void ImagePanel::updateZoomLabel() {
    m_zoomLabel->setText(m_canvas->hasImage() || m_canvas->contentSize().isValid()
                             ? QStringLiteral("%1%").arg(qRound(m_canvas->zoom() * 100.0))
                             : QString());
}

void ImagePanel::updateActions() { m_saveAction->setEnabled(m_canvas->hasImage()); }

// ---------------------------------------------------------------------------
// Models and their latent abilities

ImagePanel::LatentCaps ImagePanel::capsFor(const QString& modelId) const {
    LatentCaps caps;
    const ModelPackage* p = studio().models()->findValid(modelId);
    if (!p) return caps;
    caps.name = QString::fromStdString(p->name.empty() ? p->id : p->name);
    caps.dim = LatentDirectionSet::latentDim(*p);
    caps.decode = hasTask(*p, "image.decode");
    caps.encode = hasTask(*p, "image.encode");
    caps.sampleWithLatent = !caps.decode && caps.dim > 0 && hasTask(*p, "image.sample");
    return caps;
}

const LatentDirectionSet& ImagePanel::directionsFor(const QString& modelId) {
    auto it = m_directions.find(modelId);
    if (it != m_directions.end()) return it->second;
    LatentDirectionSet set;
    if (const ModelPackage* p = studio().models()->findValid(modelId)) {
        set = LatentDirectionSet::load(*p);  // small file, read once per model
        if (!set.error().empty()) spdlog::warn("Model {}: {}", modelId.toStdString(), set.error());
    }
    return m_directions.emplace(modelId, std::move(set)).first->second;
}

void ImagePanel::taskSelected(const TaskInfo& task) {
    // A class-conditional model's class picker shows its class names.
    const bool hasClass = std::any_of(task.params.begin(), task.params.end(),
                                      [](const ParamSpec& p) { return p.name == "class"; });
    if (hasClass)
        if (const ModelPackage* p = studio().models()->findValid(currentModelId())) {
            const auto classes = p->latent.value("classes", nlohmann::json::array());
            std::vector<std::pair<std::int64_t, QString>> names{{-1, tr("Random")}};
            for (std::size_t i = 0; i < classes.size(); ++i)
                if (classes[i].is_string())
                    names.emplace_back(std::int64_t(i), QString::fromStdString(classes[i].get<std::string>()));
            if (names.size() > 1) paramForm()->setValueNames(QStringLiteral("class"), names);
        }
    // The dock previews the model's directions before any image exists.
    if (m_selected < 0) refreshSliders();
}

// ---------------------------------------------------------------------------
// The main job

void ImagePanel::fillRequest(JobRequest& request) {
    const QString model = QString::fromStdString(request.modelId);
    const LatentCaps caps = capsFor(model);
    if (request.task == "image.sample" && caps.sampleWithLatent && request.inputs.latent.empty()) {
        // The generator does not report its latents, so draw them here from
        // the seed; the frames are then editable like any latent model's.
        std::int64_t batch = 1;
        if (auto it = request.params.find("batch"); it != request.params.end())
            if (auto* n = std::get_if<std::int64_t>(&it->second)) batch = std::max<std::int64_t>(1, *n);
        request.inputs.latent = gaussianLatents(request.seed.value_or(0), std::size_t(batch) * std::size_t(caps.dim));
    } else if (request.task == "image.decode") {
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
    m_mainLatents = request.inputs.latent;
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
    else if (dim > 0 && m_mainLatents.size() >= std::size_t(frame->index + 1) * std::size_t(dim))
        latent.assign(m_mainLatents.begin() + std::ptrdiff_t(frame->index) * dim,
                      m_mainLatents.begin() + std::ptrdiff_t(frame->index + 1) * dim);
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
// Selection, the dock and the info label

const LatentImage* ImagePanel::imageAt(int index) const {
    return index >= 0 && index < imageCount() ? &m_images[std::size_t(index)] : nullptr;
}

void ImagePanel::onCellClicked(int index, Qt::KeyboardModifiers modifiers) {
    const bool extend = modifiers & (Qt::ControlModifier | Qt::ShiftModifier);
    const bool empty = index < 0 || index >= imageCount() || m_images[std::size_t(index)].image.isNull();
    if (empty) {
        if (!extend) selectImage(-1);
        return;
    }
    if (extend && m_selected >= 0 && index != m_selected) {
        // Ctrl+click on the second image again lets go of it.
        selectImage(index == m_second ? -1 : index, /*second=*/true);
        return;
    }
    selectImage(index);
}

void ImagePanel::selectImage(int index, bool second) {
    if (index >= imageCount()) index = -1;
    if (second) {
        m_second = index == m_selected ? -1 : index;
    } else {
        m_selected = index;
        if (index < 0 || m_second == index) m_second = -1;
    }
    updateSelection();
}

void ImagePanel::updateSelection() {
    m_canvas->setSelection(m_selected, m_second);
    refreshSliders();
    updateInterpolationAvailability();
    updateFrameInfo();
}

QString ImagePanel::imageTitle(int index) const {
    const LatentImage* li = imageAt(index);
    if (!li) return {};
    QString title = imageCount() > 1 ? tr("Image %1 of %2").arg(index + 1).arg(imageCount()) : tr("Image");
    if (!li->origin.isEmpty()) title += QStringLiteral(" · ") + li->origin;
    return title;
}

void ImagePanel::refreshSliders(bool values) {
    if (!m_sliders) return;
    const LatentImage* li = imageAt(m_selected);
    const QString model = li && !li->modelId.isEmpty() ? li->modelId : currentModelId();
    const LatentDirectionSet& dirs = directionsFor(model);
    if (model != m_slidersModel) {
        m_sliders->setDirections(dirs);
        m_slidersModel = model;
    }
    QString message = QString::fromStdString(dirs.error());
    if (!model.isEmpty() && dirs.dim() == 0)
        message = tr("%1 has no latent space to edit: its model.json gives no latent size.")
                      .arg(capsFor(model).name.isEmpty() ? model : capsFor(model).name);
    if (!li || li->image.isNull()) {
        m_sliders->setImageInfo({}, {});
        m_sliders->setValues({});
        m_sliders->setMessage(message);
        return;
    }
    if (!li->editable() && dirs.dim() > 0)
        message = li->final ? tr("This image has no latent to edit. Open it with Ctrl+O to encode it.")
                            : tr("Encoding… the sliders follow once the latent is known.");
    else if (li->editable() && !capsFor(li->modelId).canRender())
        message = tr("%1 cannot decode latents, so edits cannot be shown.").arg(li->modelId);
    QStringList details;
    const QString scores = formatScores(li->scores);
    if (!scores.isEmpty()) details << scores;
    const int moved = int(std::count_if(li->sliders.begin(), li->sliders.end(), [](double v) { return v != 0.0; }));
    if (moved > 0) details << tr("%n slider(s) moved", nullptr, moved);
    if (li->base != li->latent && moved == 0 && !li->base.empty()) details << tr("edited");
    if (li->editable()) m_sliders->setImageInfo(imageTitle(m_selected), details.join(QStringLiteral(" · ")));
    else m_sliders->setImageInfo({}, {});
    if (values) m_sliders->setValues(li->sliders);
    m_sliders->setMessage(message);
}

QString ImagePanel::frameInfoText() const { return m_frameInfo->text(); }

void ImagePanel::updateFrameInfo() {
    const LatentImage* li = imageAt(m_selected);
    if (!li || li->image.isNull()) {
        m_frameInfo->setText(m_lastFrameText);
        return;
    }
    QStringList parts;
    parts << tr("%1 × %2 px").arg(li->image.width()).arg(li->image.height());
    if (imageCount() > 1) parts << tr("image %1").arg(m_selected + 1);
    const QString scores = formatScores(li->scores);
    if (!scores.isEmpty()) parts << scores;
    m_frameInfo->setText(parts.join(QStringLiteral(" · ")));
}

void ImagePanel::updateInterpolationAvailability() {
    const LatentImage* a = imageAt(m_selected);
    const LatentImage* b = imageAt(m_second);
    if (!a || !b) {
        m_strip->setAvailable(false, a ? tr("Ctrl+click a second image to interpolate from this one") : QString());
        return;
    }
    QString why;
    if (!a->editable() || !b->editable()) why = tr("Both images need a latent (open other images to encode them)");
    else if (a->modelId != b->modelId || a->latent.size() != b->latent.size())
        why = tr("The two images come from different models");
    else if (!capsFor(a->modelId).canRender()) why = tr("This model cannot decode latents");
    if (!why.isEmpty()) {
        m_strip->setAvailable(false, why);
        return;
    }
    m_strip->setAvailable(true, tr("A = image %1 → B = image %2").arg(m_selected + 1).arg(m_second + 1));
}

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

// ---------------------------------------------------------------------------
// Seed history

void ImagePanel::onSeedTextChanged() {
    if (m_applyingSeed) return;
    const std::uint64_t now = seedEdit()->seed();
    if (now == m_seedShown) return;
    // Typing merges into one step; a roll of the dice is a step of its own.
    const bool typing = m_seedLine && m_seedLine->hasFocus();
    const std::uint64_t before = m_seedShown;
    m_seedShown = now;
    m_undo->push(new SeedChangeCommand(*this, before, now, typing));
}

void ImagePanel::applySeed(std::uint64_t seed) {
    m_seedShown = seed;
    if (seedEdit()->seed() == seed) return;
    m_applyingSeed = true;
    seedEdit()->setSeed(seed);
    m_applyingSeed = false;
}

// ---------------------------------------------------------------------------
// Settings

void ImagePanel::saveExtraState(QSettings& s) const {
    s.setValue(QStringLiteral("interpolationMode"), int(m_strip->mode()));
    s.setValue(QStringLiteral("interpolationSteps"), m_strip->steps());
    if (m_sliders) s.setValue(QStringLiteral("randomiseSpread"), m_sliders->spread());
}

void ImagePanel::restoreExtraState(QSettings& s) {
    const int mode = s.value(QStringLiteral("interpolationMode"), int(InterpolationMode::Spherical)).toInt();
    m_strip->setMode(mode == int(InterpolationMode::Linear) ? InterpolationMode::Linear : InterpolationMode::Spherical);
    m_strip->setSteps(s.value(QStringLiteral("interpolationSteps"), 8).toInt());
    if (m_sliders) m_sliders->setSpread(s.value(QStringLiteral("randomiseSpread"), 1.0).toDouble());
}

}  // namespace latent
