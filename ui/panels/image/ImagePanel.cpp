#include "panels/image/ImagePanel.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QImageWriter>
#include <QLabel>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include "latent/Error.h"
#include "latent/media/ImageExport.h"

#include "app/Studio.h"
#include "widgets/Canvas.h"
#include "widgets/FrameImage.h"
#include "widgets/MessageBanner.h"

namespace latent {

namespace {
QToolButton* toolButton(QAction* action, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    return b;
}
}  // namespace

ImagePanel::ImagePanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Image, studio, parent) {
    setOutputWidget(buildOutput());
    finishSetup();
}

QWidget* ImagePanel::buildOutput() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_canvas = new Canvas(box);
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
    m_saveAction = new QAction(QIcon(QStringLiteral(":/icons/save.svg")), tr("Save image…"), this);
    m_saveAction->setObjectName(QStringLiteral("saveImage"));
    m_saveAction->setToolTip(tr("Save the shown image as PNG (Ctrl+S)"));
    m_saveAction->setEnabled(false);
    connect(zoomOut, &QAction::triggered, m_canvas, &Canvas::zoomOut);
    connect(zoomIn, &QAction::triggered, m_canvas, &Canvas::zoomIn);
    connect(fit, &QAction::triggered, m_canvas, &Canvas::zoomToFit);
    connect(actual, &QAction::triggered, m_canvas, &Canvas::zoomActualSize);
    connect(m_saveAction, &QAction::triggered, this, &ImagePanel::saveImageInteractive);

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
    bar->addStretch(1);
    m_frameInfo = new QLabel(box);
    m_frameInfo->setEnabled(false);
    bar->addWidget(m_frameInfo);
    bar->addSpacing(12);
    auto* save = toolButton(m_saveAction, box);
    save->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(save);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);

    connect(m_canvas, &Canvas::zoomChanged, this, &ImagePanel::updateZoomLabel);
    connect(m_canvas, &Canvas::contentChanged, this, [this] { m_saveAction->setEnabled(m_canvas->hasImage()); });
    updateZoomLabel();
    return box;
}

void ImagePanel::updateZoomLabel() {
    m_zoomLabel->setText(m_canvas->hasImage() || m_canvas->contentSize().isValid()
                             ? QStringLiteral("%1%").arg(qRound(m_canvas->zoom() * 100.0))
                             : QString());
}

void ImagePanel::jobStarting(const JobRequest& request) {
    m_canvas->clear();
    // Reserve the grid when the schema has a batch size.
    if (auto it = request.params.find("batch"); it != request.params.end())
        if (auto* n = std::get_if<std::int64_t>(&it->second)) m_canvas->setExpectedCount(int(*n));
    m_frameInfo->clear();
    m_suggestedName = QStringLiteral("%1-%2.png").arg(QString::fromStdString(request.modelId)).arg(request.seed.value_or(0));
}

void ImagePanel::chunkArrived(const JobInfo&, const Chunk& chunk) {
    const auto* frame = std::get_if<ImageFrame>(&chunk);
    if (!frame) return;
    const QImage img = imageFromFrame(*frame);
    if (img.isNull()) {
        spdlog::warn("Image panel: dropped a malformed frame ({}x{}, {} bytes)", frame->width, frame->height,
                     frame->rgba ? frame->rgba->size() : 0);
        return;
    }
    m_canvas->setFrame(frame->index, img);
    m_frameInfo->setText(frame->final ? tr("%1 × %2 px").arg(frame->width).arg(frame->height)
                                      : tr("%1 × %2 px · step %3 / %4")
                                            .arg(frame->width)
                                            .arg(frame->height)
                                            .arg(frame->step)
                                            .arg(frame->totalSteps));
    updateZoomLabel();
}

void ImagePanel::jobEnded(JobState) { m_saveAction->setEnabled(m_canvas->hasImage()); }

bool ImagePanel::saveImage(const QString& path, QString* error) const {
    const QImage img = m_canvas->image().convertToFormat(QImage::Format_RGBA8888);
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (img.isNull()) return fail(tr("There is no image to save."));
    const auto* bits = img.constBits();
    std::vector<std::uint8_t> rgba;
    rgba.reserve(std::size_t(img.width()) * std::size_t(img.height()) * 4);
    for (int y = 0; y < img.height(); ++y) {  // rows may be padded in a QImage
        const auto* row = bits + std::size_t(y) * std::size_t(img.bytesPerLine());
        rgba.insert(rgba.end(), row, row + std::size_t(img.width()) * 4);
    }
    // The shared exporter writes atomically and embeds provenance (iTXt +
    // A1111 "parameters") when the image came from a finished job.
    try {
        const ImageFrame frame = makeImageFrame(img.width(), img.height(), std::move(rgba));
        if (lastProvenance().modelId.empty()) writePng(path.toStdString(), frame);
        else exportPng(path.toStdString(), frame, lastProvenance());
    } catch (const Error& e) {
        return fail(tr("Cannot save %1: %2").arg(path, QString::fromStdString(e.what())));
    }
    return true;
}

void ImagePanel::saveImageInteractive() {
    if (!m_canvas->hasImage()) return;
    QString dir = studio().settings().store().value(QStringLiteral("paths/lastSaveDir")).toString();
    if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString name = m_suggestedName.isEmpty() ? QStringLiteral("image.png") : m_suggestedName;
    QString path = QFileDialog::getSaveFileName(this, tr("Save image"), QDir(dir).filePath(name),
                                                tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) path += QStringLiteral(".png");
    QString error;
    if (!saveImage(path, &error)) {
        spdlog::error("Save image: {}", error.toStdString());
        showError(error);
        return;
    }
    studio().settings().store().setValue(QStringLiteral("paths/lastSaveDir"), QFileInfo(path).absolutePath());
    spdlog::info("Saved image {}", path.toStdString());
}

}  // namespace latent
