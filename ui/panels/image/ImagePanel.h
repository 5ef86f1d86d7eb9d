#pragma once
// Image generation and latent editing. Streamed frames show on a zoomable
// canvas (batches as a grid); each cell keeps its own latent, so a clicked
// image can be edited with the "Latent sliders" dock, two images (Ctrl+click)
// can be interpolated, and an opened image is restored from its provenance
// or encoded by the model. Edits render through their own interactive lanes,
// never through Generate, so they neither cancel nor replace the main job.
// Every edit is undoable (Ctrl+Z / Ctrl+Shift+Z, scoped to the panel).
// "Save image…" writes PNG (provenance, latent and slider values embedded),
// JPEG (provenance as the comment) or WebP (provenance in NAME.webp.json).
#include <QElapsedTimer>
#include <QPointer>

#include <map>
#include <optional>
#include <vector>

#include "panels/GenerationPanel.h"
#include "latent/media/LatentDirectionSet.h"
#include "panels/image/LatentEditCommand.h"
#include "panels/image/LatentImage.h"
#include "panels/image/LatentMath.h"

class QAction;
class QLabel;
class QLineEdit;
class QTimer;
class QUndoStack;

namespace latent {

class Canvas;
class InterpolationStrip;
class LatentSliders;

class ImagePanel : public GenerationPanel {
    Q_OBJECT
public:
    static constexpr const char* kSliderLane = "image-panel/sliders";
    static constexpr const char* kInterpolationLane = "image-panel/interpolation";
    static constexpr const char* kEncodeLane = "image-panel/encode";  // + "/<cell>"
    // A render still running after this long is replaced rather than awaited.
    static constexpr int kRenderPatienceMs = 150;

    explicit ImagePanel(Studio& studio, QWidget* parent = nullptr);
    ~ImagePanel() override;

    Canvas* canvas() const { return m_canvas; }
    QAction* saveAction() const { return m_saveAction; }
    QAction* openAction() const { return m_openAction; }
    QAction* undoAction() const { return m_undoAction; }
    QAction* redoAction() const { return m_redoAction; }
    QUndoStack* undoStack() const { return m_undo; }
    // Not parented to the panel: MainWindow puts it in the "Latent sliders"
    // dock (the panel deletes it when nobody took it).
    LatentSliders* latentSliders() const;
    InterpolationStrip* interpolationStrip() const { return m_strip; }

    int imageCount() const { return int(m_images.size()); }
    const LatentImage* imageAt(int index) const;
    int selectedIndex() const { return m_selected; }
    int secondIndex() const { return m_second; }
    // Selects cell `index` (-1 clears); `second` picks the other end of an
    // interpolation instead, as Ctrl/Shift+click does.
    void selectImage(int index, bool second = false);
    // The slider directions of a model, loaded once per model.
    const LatentDirectionSet& directionsFor(const QString& modelId);
    QString frameInfoText() const;

    JobId renderJob() const { return m_render ? m_render->id() : 0; }
    bool isRendering() const;  // a slider render is in flight or waiting
    JobId interpolationJob() const { return m_interp ? m_interp->id() : 0; }
    const std::vector<std::vector<float>>& interpolationLatents() const { return m_interpLatents; }
    bool isEncoding() const { return !m_encodeJobs.empty(); }

    // Writes the selected image (the whole grid when none is selected) in
    // the format its suffix names: .png, .jpg/.jpeg or .webp. On failure
    // returns false and sets `error`.
    bool saveImage(const QString& path, QString* error = nullptr) const;
    // What an export embeds: the selected image's provenance with its latent,
    // base latent and slider values, or the last job's for the grid.
    Provenance exportProvenance() const;
    // Opens image files (replacing the canvas): Latent Studio exports restore
    // their model, seed, latent and sliders; other images are encoded by the
    // current model. Returns false (and shows why) when nothing could be opened.
    // `names` (one per path) stand for the files in messages: the library's
    // files have names no one chose.
    bool openImages(const QStringList& paths, const QStringList& names = {});

    // For the undo commands.
    void applyLatentState(int image, const LatentEditCommand::State& state);
    void applySeed(std::uint64_t seed);

    // Decodes `steps` latents between the selected image (A) and the second (B).
    bool interpolate(InterpolationMode mode, int steps);
    // Makes interpolation step `step` the selected image's base (undoable).
    bool useInterpolationStep(int step);

public Q_SLOTS:
    void saveImageInteractive();
    void openImageInteractive();

protected:
    void fillRequest(JobRequest& request) override;
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;
    void jobEnded(JobState state) override;
    void taskSelected(const TaskInfo& task) override;
    void saveExtraState(QSettings& settings) const override;
    void restoreExtraState(QSettings& settings) override;

private:
    // What a model can do with latents, from its package's task list.
    struct LatentCaps {
        int dim = 0;
        bool decode = false;            // image.decode
        bool sampleWithLatent = false;  // image.sample fed inputs.latent (TorchScript imports)
        bool encode = false;            // image.encode
        QString name;
        bool canRender() const { return dim > 0 && (decode || sampleWithLatent); }
    };
    LatentCaps capsFor(const QString& modelId) const;

    QWidget* buildOutput();
    void updateZoomLabel();
    void updateActions();
    void resetImages();
    void onCellClicked(int index, Qt::KeyboardModifiers modifiers);
    void updateSelection();
    // The dock's rows, header and message for the selected image; `values`
    // also moves the sliders (not while a render merely updates the picture,
    // which would disturb a drag in progress).
    void refreshSliders(bool values = true);
    void updateFrameInfo();
    void updateInterpolationAvailability();
    QString imageTitle(int index) const;
    LatentImage& ensureImage(int index);

    void onSlidersEdited(const QList<double>& values);
    void onSlidersCommitted(const QList<double>& before, const QList<double>& after, const QString& text, int slider);
    void requestRender();
    void submitRender();
    // A decode (or TorchScript sample) request for `latents` of `modelId`.
    std::optional<JobRequest> renderRequest(const QString& modelId, const std::vector<float>& latents, int count,
                                            const LatentImage* like, QString* why) const;

    bool openOne(const QString& path, const QString& name, int cell, QStringList& notices, QString& error);
    std::optional<Provenance> readProvenance(const QString& path, const QImage& image) const;
    bool restoreFromProvenance(const Provenance& p, const QImage& image, const QString& name, int cell,
                               QStringList& notices);
    bool encodeImage(const QImage& image, const QString& name, int cell, QString& error);

    void onSeedTextChanged();
    // "3.21 bits/dim · ELBO −241 nats": the scores the latent families report.
    static QString formatScores(const std::map<std::string, double>& scores);

    // Each edit job's handle reports to its own handlers.
    void onRenderChunk(const ChunkPtr& chunk);
    void onRenderEnded(JobState state, const QString& error);
    void onInterpolationChunk(const ChunkPtr& chunk);
    void onInterpolationEnded(JobState state, const QString& error);
    void onEncodeChunk(JobId job, const ChunkPtr& chunk);
    void onEncodeEnded(JobId job, JobState state, const Provenance& provenance, const QString& error);
    void cancelEditJobs();

    Canvas* m_canvas = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QLabel* m_frameInfo = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QUndoStack* m_undo = nullptr;
    QPointer<LatentSliders> m_sliders;
    InterpolationStrip* m_strip = nullptr;
    QString m_suggestedName;
    QString m_lastFrameText;

    std::vector<LatentImage> m_images;  // one per canvas cell
    int m_selected = -1;
    int m_second = -1;
    std::map<QString, LatentDirectionSet> m_directions;
    QString m_slidersModel;  // whose directions the dock shows

    // The main (Generate) job, as the panel submitted it.
    bool m_acceptMain = false;  // false once opened files replaced its canvas
    QString m_mainModel;
    QString m_mainTask;
    ParamMap m_mainParams;

    // Slider renders: at most one in flight, the newest state wins.
    JobHandlePtr m_render;
    std::vector<int> m_renderTargets;                 // cell of each frame index
    std::vector<std::vector<float>> m_renderLatents;  // what each frame shows
    QElapsedTimer m_renderClock;
    QTimer* m_renderTimer = nullptr;

    JobHandlePtr m_interp;
    QString m_interpModel;
    std::vector<std::vector<float>> m_interpLatents;
    std::vector<std::map<std::string, double>> m_interpScores;

    struct EncodeJob {
        JobHandlePtr handle;
        int cell = -1;
        QString name;
    };
    std::map<JobId, EncodeJob> m_encodeJobs;
    std::optional<ImageFrame> m_lastOpened;  // for "Encode an image" through Generate

    QLineEdit* m_seedLine = nullptr;
    std::uint64_t m_seedShown = 0;
    bool m_applyingSeed = false;
};

}  // namespace latent
