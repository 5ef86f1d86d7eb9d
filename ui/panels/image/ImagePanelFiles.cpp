// ImagePanel, continued: opening images (restoring Latent Studio exports,
// encoding others) and saving them with their provenance.
#include "panels/image/ImagePanel.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QBuffer>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/formats/AtomicFile.h"
#include "latent/media/ImageExport.h"
#include "latent/qt/EngineBridge.h"

#include "app/Studio.h"
#include "models/ModelListModel.h"
#include "panels/image/LatentSliders.h"
#include "widgets/Canvas.h"
#include "widgets/FrameImage.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

namespace latent {

namespace {

std::vector<std::uint8_t> rgbaBytes(const QImage& image) {
    const QImage img = image.convertToFormat(QImage::Format_RGBA8888);
    std::vector<std::uint8_t> rgba;
    rgba.reserve(std::size_t(img.width()) * std::size_t(img.height()) * 4);
    for (int y = 0; y < img.height(); ++y) {  // rows may be padded in a QImage
        const auto* row = img.constScanLine(y);
        rgba.insert(rgba.end(), row, row + std::size_t(img.width()) * 4);
    }
    return rgba;
}

QString sidecarPath(const QString& path) { return path + QStringLiteral(".json"); }

const QString kProvenanceKey = QString::fromLatin1(kProvenancePngKey);
// The user picked the file in a save dialog that asked before replacing it:
// a symlink there means its target; a read-only file is still refused.
constexpr AtomicWriteOptions kExportWrite{.followSymlink = true};

}  // namespace

// ---------------------------------------------------------------------------
// Opening images

void ImagePanel::openImageInteractive() {
    QString dir = studio().settings().store().value(QStringLiteral("paths/lastOpenDir")).toString();
    if (dir.isEmpty()) dir = studio().settings().store().value(QStringLiteral("paths/lastSaveDir")).toString();
    if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open image"), dir, tr("Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)"));
    if (paths.isEmpty()) return;
    studio().settings().store().setValue(QStringLiteral("paths/lastOpenDir"), QFileInfo(paths.front()).absolutePath());
    openImages(paths);
}

bool ImagePanel::openImages(const QStringList& paths, const QStringList& names) {
    if (paths.isEmpty()) return false;
    if (!studio().isReady()) {
        showError(tr("The engine is not running yet; try again in a moment."));
        return false;
    }
    // The canvas now shows the opened files, so the job that was filling it stops.
    if (isJobActive()) stop();
    m_acceptMain = false;
    resetImages();
    QStringList notices, errors;
    int cell = 0;
    for (int i = 0; i < paths.size(); ++i) {
        const QString& path = paths[i];
        const QString name = i < names.size() ? names[i] : QFileInfo(path).fileName();
        QString error;
        if (openOne(path, name, cell, notices, error)) ++cell;
        else errors << error;
    }
    updateActions();
    // The status line spoke of the last job; it now says what the canvas shows.
    if (cell > 0) {
        const QString first = names.isEmpty() ? QFileInfo(paths.front()).fileName() : names.front();
        setStatus(cell == 1 ? tr("Opened · %1").arg(first) : tr("Opened · %1 and %2 more").arg(first).arg(cell - 1));
    }
    if (!errors.isEmpty()) {
        for (const QString& e : errors) spdlog::error("Open image: {}", e.toStdString());
        showError(errors.join(QLatin1Char('\n')));
    } else if (!notices.isEmpty()) {
        banner()->showMessage(MessageBanner::Kind::Info, notices.join(QLatin1Char('\n')));
    } else {
        banner()->dismiss();
    }
    if (m_selected < 0 && cell > 0) selectImage(0);
    // Restored latents are decoded again, so what shows is what the model makes of them.
    submitRender();
    return cell > 0;
}

std::optional<Provenance> ImagePanel::readProvenance(const QString& path, const QImage& image) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    try {
        if (suffix == QLatin1String("png")) {
            if (auto p = readPngProvenance(path.toStdString())) return p;
        }
        // JPEG keeps it as a comment ("latent-studio: {...}"), Qt reads it back as text.
        const QString text = image.text(kProvenanceKey);
        if (!text.isEmpty()) return provenanceFromJson(text.toStdString());
        QFile sidecar(sidecarPath(path));
        if (sidecar.exists() && sidecar.open(QIODevice::ReadOnly))
            return provenanceFromJson(sidecar.readAll().toStdString());
    } catch (const std::exception& e) {
        spdlog::warn("Open image: ignoring unreadable provenance in {}: {}", path.toStdString(), e.what());
    }
    return std::nullopt;
}

bool ImagePanel::openOne(const QString& path, const QString& name, int cell, QStringList& notices, QString& error) {
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile()) {
        error = tr("%1 does not exist.").arg(path);
        return false;
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull()) {
        const QString suffix = info.suffix().toLower();
        if (suffix == QLatin1String("webp") && !QImageReader::supportedImageFormats().contains("webp"))
            error = tr("%1: this installation cannot read WebP (Qt's image format plugins are missing).").arg(name);
        else
            error = tr("%1 is not an image Latent Studio can open (PNG, JPEG, WebP or BMP): %2")
                        .arg(name, reader.errorString());
        return false;
    }
    image = image.convertToFormat(QImage::Format_RGBA8888);
    if (auto p = readProvenance(path, image)) {
        if (studio().models()->findValid(QString::fromStdString(p->modelId)))
            return restoreFromProvenance(*p, image, name, cell, notices);
        notices << tr("%1 was made with model %2, which is not installed; encoding it with the current model instead.")
                       .arg(name, QString::fromStdString(p->modelId));
    }
    return encodeImage(image, name, cell, error);
}

bool ImagePanel::restoreFromProvenance(const Provenance& p, const QImage& image, const QString& name, int cell,
                                       QStringList& notices) {
    const QString model = QString::fromStdString(p.modelId);
    if (cell == 0) {
        // The first file sets up the panel: model, task, parameters and seed.
        if (currentModelId() != model) selectModel(model);
        const int task = taskPicker()->findData(QString::fromStdString(p.task));
        if (task >= 0 && p.task != "image.decode" && p.task != "image.encode") {
            taskPicker()->setCurrentIndex(task);
            paramForm()->setValues(p.params);
        }
        seedEdit()->setRandomEachTime(false);
        applySeed(p.seed);
    }
    LatentImage& li = ensureImage(cell);
    li.image = image;
    li.modelId = model;
    li.seed = p.seed;
    li.params = p.params;
    li.provenance = p;
    li.origin = tr("opened %1").arg(name);
    const LatentDirectionSet& dirs = directionsFor(model);
    const int dim = capsFor(model).dim;
    li.sliders.assign(dirs.size(), 0.0);
    if (!p.latent.empty() && int(p.latent.size()) == dim) {
        li.base = int(p.latentBase.size()) == dim ? p.latentBase : p.latent;
        int unknown = 0;
        for (const auto& [dirName, value] : p.sliders) {
            const int i = dirs.indexOf(dirName);
            if (i >= 0) li.sliders[std::size_t(i)] = value;
            else ++unknown;
        }
        li.latent = dirs.apply(li.base, li.sliders);
        if (unknown > 0)
            notices << tr("%1: %n slider value(s) name directions this model no longer has; they were left out.",
                          nullptr, unknown).arg(name);
        // With every slider known, the file's own latent is what it showed:
        // keep it bit-exact rather than re-adding the directions in floats.
        if (unknown == 0) li.latent = p.latent;
        // Re-render from the latent: the file's pixels show until it arrives.
        li.shownLatent.clear();
        notices << tr("Restored %1: model %2, seed %3, its latent%4.")
                       .arg(name, capsFor(model).name)
                       .arg(p.seed)
                       .arg(p.sliders.empty() ? QString() : tr(" and %n slider value(s)", nullptr, int(p.sliders.size())));
    } else {
        li.latent.clear();
        li.base.clear();
        li.shownLatent.clear();
        if (!p.latent.empty())
            notices << tr("%1: its latent has %2 values but %3 takes %4; settings restored, latent left out.")
                           .arg(name)
                           .arg(p.latent.size())
                           .arg(capsFor(model).name)
                           .arg(dim);
        else
            notices << tr("Restored the settings of %1 (model %2, seed %3); press Generate to make it again.")
                           .arg(name, capsFor(model).name)
                           .arg(p.seed);
    }
    m_canvas->setFrame(cell, image);
    m_suggestedName = QStringLiteral("%1-%2.png").arg(model).arg(p.seed);
    return true;
}

bool ImagePanel::encodeImage(const QImage& image, const QString& name, int cell, QString& error) {
    LatentImage& li = ensureImage(cell);
    li.image = image;
    li.modelId = currentModelId();
    li.origin = tr("encoded from %1").arg(name);
    li.final = true;
    m_canvas->setFrame(cell, image);
    const ImageFrame frame = makeImageFrame(image.width(), image.height(), rgbaBytes(image));
    m_lastOpened = frame;
    const LatentCaps caps = capsFor(li.modelId);
    if (li.modelId.isEmpty()) {
        error = tr("%1: choose a model first, then open the image to encode it.").arg(name);
        return false;
    }
    if (!caps.encode) {
        error = tr("%1 has no encoder, so it cannot turn %2 into a latent. Choose a VAE, GAN or flow model to encode "
                   "images.")
                    .arg(caps.name.isEmpty() ? li.modelId : caps.name, name);
        return false;
    }
    JobRequest r;
    r.modelId = li.modelId.toStdString();
    r.task = "image.encode";
    r.inputs.image = frame;
    r.lane = std::string(kEncodeLane) + "/" + std::to_string(cell);
    r.priority = 5;
    r.label = tr("Encode %1 · %2").arg(name, caps.name).toStdString();
    li.final = false;
    auto handle = studio().bridge()->submit(std::move(r));
    const JobId id = handle->id();
    JobHandle* h = handle.get();
    connect(h, &JobHandle::chunk, this, [this, id](const JobInfo&, const ChunkPtr& c) { onEncodeChunk(id, c); });
    connect(h, &JobHandle::finished, this, [this, id](const JobInfo&, JobState state, const Provenance& provenance) {
        onEncodeEnded(id, state, provenance, {});
    });
    connect(h, &JobHandle::failed, this, [this, id](const JobInfo&, ErrorKind kind, const QString& message) {
        onEncodeEnded(id, kind == ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed, {}, message);
    });
    m_encodeJobs[id] = EncodeJob{std::move(handle), cell, name};
    spdlog::info("Image panel: encoding {} with {} (job #{})", name.toStdString(), li.modelId.toStdString(), id);
    return true;
}

// ---------------------------------------------------------------------------
// Saving

Provenance ImagePanel::exportProvenance() const {
    const LatentImage* li = imageAt(m_selected);
    // The grid: the job that made it (opened files have no common one).
    if (!li) return m_acceptMain ? lastProvenance() : Provenance{};
    Provenance p = li->provenance;
    if (p.modelId.empty() && !li->modelId.isEmpty()) {
        p.modelId = li->modelId.toStdString();
        p.seed = li->seed;
        p.params = li->params;
        p.task = m_mainTask.toStdString();
    }
    if (li->editable()) {
        p.latent = li->latent;
        const bool edited = li->base != li->latent ||
                            std::any_of(li->sliders.begin(), li->sliders.end(), [](double v) { return v != 0.0; });
        p.latentBase.clear();
        p.sliders.clear();
        if (edited) {
            p.latentBase = li->base;
            const auto it = m_directions.find(li->modelId);
            if (it != m_directions.end())
                for (std::size_t i = 0; i < li->sliders.size() && i < it->second.size(); ++i)
                    if (li->sliders[i] != 0.0) p.sliders[it->second.direction(i).name] = li->sliders[i];
        }
    }
    return p;
}

bool ImagePanel::saveImage(const QString& path, QString* error) const {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    const LatentImage* li = imageAt(m_selected);
    const QImage img = (li && !li->image.isNull() ? li->image : m_canvas->image()).convertToFormat(QImage::Format_RGBA8888);
    if (img.isNull()) return fail(tr("There is no image to save."));
    const Provenance provenance = exportProvenance();
    const bool withProvenance = !provenance.modelId.empty();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png") || suffix.isEmpty()) {
        // The shared exporter writes atomically and embeds provenance (iTXt +
        // A1111 "parameters"), latent and slider values included.
        try {
            const ImageFrame frame = makeImageFrame(img.width(), img.height(), rgbaBytes(img));
            if (withProvenance) exportPng(path.toStdString(), frame, provenance, kExportWrite);
            else writePng(path.toStdString(), frame, {}, kExportWrite);
        } catch (const Error& e) {
            return fail(tr("Cannot save %1: %2").arg(path, QString::fromStdString(e.what())));
        }
        return true;
    }
    const bool jpeg = suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg");
    const bool webp = suffix == QLatin1String("webp");
    if (!jpeg && !webp) return fail(tr("Cannot save %1: choose .png, .jpg or .webp.").arg(path));
    const QByteArray format = jpeg ? QByteArray("jpeg") : QByteArray("webp");
    if (!QImageWriter::supportedImageFormats().contains(format))
        return fail(tr("Cannot save %1: this installation has no %2 writer (Qt's image format plugins are missing).")
                        .arg(path, QString::fromLatin1(format.toUpper())));
    QImage out = img;
    if (jpeg) {
        // JPEG has no alpha: composite on white rather than on undefined colour.
        QImage flat(img.size(), QImage::Format_RGB32);
        flat.fill(Qt::white);
        QPainter painter(&flat);
        painter.drawImage(0, 0, img);
        painter.end();
        out = flat;
        if (withProvenance) out.setText(kProvenanceKey, QString::fromStdString(provenanceToJson(provenance)));
    }
    // Encoded in memory, then written by the engine's atomic writer: one
    // write policy (no read-only file replaced) for every export.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(jpeg ? 92 : 95);
    if (!writer.write(out)) return fail(tr("Cannot save %1: %2").arg(path, writer.errorString()));
    try {
        writeFileAtomic(path.toStdString(), std::string_view(bytes.constData(), std::size_t(bytes.size())), kExportWrite);
    } catch (const Error& e) {
        return fail(tr("Cannot save %1: %2").arg(path, QString::fromStdString(e.what())));
    }
    if (webp && withProvenance) {
        // WebP metadata chunks are beyond QImageWriter: the provenance goes beside the image.
        try {
            writeFileAtomic(sidecarPath(path).toStdString(), provenanceToJson(provenance), kExportWrite);
        } catch (const Error& e) {
            return fail(tr("Saved %1, but not its provenance file %2: %3")
                            .arg(path, sidecarPath(path), QString::fromStdString(e.what())));
        }
    }
    return true;
}

void ImagePanel::saveImageInteractive() {
    if (!m_canvas->hasImage()) return;
    QString dir = studio().settings().store().value(QStringLiteral("paths/lastSaveDir")).toString();
    if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    QString name = m_suggestedName.isEmpty() ? QStringLiteral("image.png") : m_suggestedName;
    if (const LatentImage* li = imageAt(m_selected)) {
        name = QStringLiteral("%1-%2").arg(li->modelId.isEmpty() ? QStringLiteral("image") : li->modelId).arg(li->seed);
        if (imageCount() > 1) name += QStringLiteral("-%1").arg(m_selected + 1);
        name += QStringLiteral(".png");
    }
    const QString png = tr("PNG image with provenance (*.png)");
    const QString jpg = tr("JPEG image (*.jpg *.jpeg)");
    const QString webp = tr("WebP image, provenance beside it (*.webp)");
    QStringList filters{png, jpg};
    if (QImageWriter::supportedImageFormats().contains("webp")) filters << webp;
    QString filter = png;
    QString path = QFileDialog::getSaveFileName(this, tr("Save image"), QDir(dir).filePath(name),
                                                filters.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty()) return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    static const QStringList known{QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                   QStringLiteral("webp")};
    if (!known.contains(suffix))
        path += filter == jpg ? QStringLiteral(".jpg") : filter == webp ? QStringLiteral(".webp") : QStringLiteral(".png");
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
