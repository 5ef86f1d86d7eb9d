// The Image panel itself: its widgets, what each model can do in latent space,
// the selection and the dock, seed history and settings. Jobs, latent editing
// and files live in ImagePanelJobs/Latent/Files.cpp.
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
#include "widgets/UndoActions.h"

namespace latent {

namespace {

QToolButton* toolButton(QAction* action, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    return b;
}


bool hasTask(const ModelPackage& p, const char* task) {
    return std::find(p.tasks.begin(), p.tasks.end(), task) != p.tasks.end();
}

}  // namespace

QString ImagePanel::formatScores(const std::map<std::string, double>& scores) {
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
    const UndoActions undo = makeUndoActions(this, m_undo);
    m_undoAction = undo.undo;
    m_undoAction->setObjectName(QStringLiteral("undoEdit"));
    m_redoAction = undo.redo;
    m_redoAction->setObjectName(QStringLiteral("redoEdit"));

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
