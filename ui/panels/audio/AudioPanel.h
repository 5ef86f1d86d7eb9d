#pragma once
// Sound generation and latent editing. A job's blocks stream into an
// AudioTake that plays while it grows (AudioPlayer on a QAudioSink) and into
// the waveform and log-mel spectrogram views (zoom, selection, scrub);
// the transport plays, pauses, loops the selection and compares with the
// previous take (A/B). Pitched models get an on-screen keyboard (mouse or
// computer keys): a note renders and plays at once.
//
// Latent models are edited in the "Latent sliders" dock: directions of a
// one-shot's latent (audio-ddsp) or an offset and scale per latent dimension
// (RAVE-style exports). Slider renders run on their own lane, never through
// Generate, and play when they arrive; every edit is undoable (Ctrl+Z /
// Ctrl+Shift+Z, scoped to the panel).
//
// Sound files (WAV, FLAC, Ogg, MP3; open or drop) show and play; a Latent
// Studio export restores its model, settings, latent and sliders, any other
// sound becomes the input of the model's transfer task. Export writes WAV
// (16/24-bit, float), FLAC or Ogg Vorbis with the provenance in the file's
// comment tag.
#include <QElapsedTimer>
#include <QPointer>

#include <map>
#include <memory>
#include <optional>

#include "latent/media/AudioFile.h"
#include "panels/GenerationPanel.h"
#include "panels/audio/AudioLatentControls.h"
#include "panels/audio/AudioSound.h"

class QAction;
class QLabel;
class QTimer;
class QUndoStack;

namespace latent {

class AudioFileReader;
class AudioPlayer;
class AudioTake;
class AudioViewData;
class AudioViewRange;
class LatentSliders;
class PianoKeyboard;
class SpectrogramView;
class TransportBar;
class WaveformView;

class AudioPanel : public GenerationPanel {
    Q_OBJECT
public:
    static constexpr const char* kSliderLane = "audio-panel/sliders";
    static constexpr const char* kNoteLane = "audio-panel/notes";
    // A render still running after this long is replaced rather than awaited.
    static constexpr int kRenderPatienceMs = 120;
    // Opened files longer than this show whole but play (and transfer) only this much.
    static constexpr double kMaxPlaySeconds = 20 * 60;
    // Opened files up to this long go to a model whole (inputs.audio); longer
    // ones stream from the file (inputs.audioFile).
    static constexpr double kMaxInlineInputSeconds = 60;

    explicit AudioPanel(Studio& studio, QWidget* parent = nullptr);
    ~AudioPanel() override;

    WaveformView* waveformView() const { return m_waveform; }
    SpectrogramView* spectrogramView() const { return m_spectrogram; }
    AudioViewData* viewData() const { return m_view; }
    AudioViewRange* viewRange() const { return m_range; }
    AudioPlayer* player() const { return m_player; }
    TransportBar* transport() const { return m_transport; }
    PianoKeyboard* keyboard() const { return m_keyboard; }
    // Not parented to the panel: MainWindow puts it in the "Latent sliders"
    // dock (the panel deletes it when nobody took it).
    LatentSliders* latentSliders() const;
    QAction* openAction() const { return m_openAction; }
    QAction* exportAction() const { return m_exportAction; }
    QAction* undoAction() const { return m_undoAction; }
    QAction* redoAction() const { return m_redoAction; }
    QUndoStack* undoStack() const { return m_undo; }

    // The take on show (null before the first sound) and the one before it (A/B).
    const std::shared_ptr<AudioTake>& take() const { return m_take; }
    const std::shared_ptr<AudioTake>& previousTake() const { return m_previous; }
    const AudioSound& sound() const { return m_sound; }
    const AudioLatentControls& controls() const { return m_controls; }
    QString infoText() const;
    // Whether new takes play as soon as their first block arrives (default on).
    void setAutoPlay(bool on) { m_autoPlay = on; }
    bool autoPlay() const { return m_autoPlay; }

    JobId renderJob() const;
    bool isRendering() const;  // a slider render is in flight or waiting
    bool isOpeningFile() const { return m_reader != nullptr; }

    // Renders `midi` at `velocity` with the form's other settings and plays it.
    JobId playNote(int midi, int velocity);
    // For the undo commands: sets sound `sound`'s sliders and re-renders.
    void applySliderValues(int sound, const std::vector<double>& values);

    // Opens a sound file (replacing the take); false (and the reason in the
    // banner and `error`) when it cannot be read. Long files load block by
    // block in the background (isOpeningFile()). `name` stands for the file
    // in messages (the library's files have names no one chose).
    bool openAudioFile(const QString& path, QString* error = nullptr, const QString& name = {});
    // Writes the take in `format`; false with `error` set when it cannot.
    bool exportAudioFile(const QString& path, AudioFileFormat format, QString* error = nullptr) const;
    // The format a file name asks for (.wav → 16-bit unless `wav` says
    // otherwise, .flac, .ogg/.oga); nullopt for other suffixes.
    static std::optional<AudioFileFormat> formatForPath(const QString& path, AudioFileFormat wav = AudioFileFormat::Wav16);
    // What an export embeds: the sound's provenance with its latent, base
    // latent, slider values and latent edit.
    Provenance exportProvenance() const;

public Q_SLOTS:
    void openAudioInteractive();
    void exportAudioInteractive();

protected:
    void fillRequest(JobRequest& request) override;
    void jobStarting(const JobRequest& request) override;
    void chunkArrived(const JobInfo& job, const Chunk& chunk) override;
    void jobEnded(JobState state) override;
    void taskSelected(const TaskInfo& task) override;
    bool wantsPrompt(const QString& task) const override;
    void saveExtraState(QSettings& settings) const override;
    void restoreExtraState(QSettings& settings) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;

private:
    QWidget* buildOutput();
    void updateActions();
    void updateInfo();
    void updateKeyboard();
    void showNoDeviceOnce();

    // Takes: a new one starts at a block's format; the old one becomes "previous".
    void startTake(const AudioBlock& first, bool keepPrevious, bool play = true);
    void appendBlock(const AudioBlock& block);
    void finishTake();
    void showTake(const std::shared_ptr<AudioTake>& take);
    void onCompareToggled(bool on);
    void syncLoop();

    // Latent state of a take that just arrived.
    void adoptLatent(const AudioBlock& block);
    void refreshSliders(bool values = true);
    void onSlidersEdited(const QList<double>& values);
    void onSlidersCommitted(const QList<double>& before, const QList<double>& after, const QString& text, int slider);
    void requestRender();
    void submitRender();
    std::optional<JobRequest> renderRequest(QString* why) const;
    void onRenderChunk(const ChunkPtr& chunk);
    void onRenderEnded(JobState state, const QString& error);

    // Files.
    void readMore();
    void finishOpening(bool ok, const QString& error);
    bool restoreFromProvenance(const Provenance& p, const QString& name, QStringList& notices);
    void setSoundFromFile(const QString& path, const QString& name);

    const ModelPackage* package(const QString& modelId) const;

    WaveformView* m_waveform = nullptr;
    SpectrogramView* m_spectrogram = nullptr;
    AudioViewData* m_view = nullptr;
    AudioViewRange* m_range = nullptr;
    AudioPlayer* m_player = nullptr;
    TransportBar* m_transport = nullptr;
    PianoKeyboard* m_keyboard = nullptr;
    QLabel* m_info = nullptr;
    QPointer<LatentSliders> m_sliders;
    QAction* m_openAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QUndoStack* m_undo = nullptr;
    bool m_autoPlay = true;
    bool m_noDeviceShown = false;

    std::shared_ptr<AudioTake> m_take;
    std::shared_ptr<AudioTake> m_previous;
    bool m_comparing = false;  // the previous take is on show (B)
    AudioSound m_sound;
    int m_soundSerial = 0;     // numbers sounds for the undo commands
    AudioLatentControls m_controls;
    QString m_controlsModel;
    bool m_controlsPath = false;
    int m_controlsDims = 0;

    // The main job (Generate or a keyboard note), as submitted.
    JobRequest m_mainRequest;
    bool m_mainStarted = false;  // its first block started a take

    // Slider renders: at most one in flight, the newest values win.
    JobHandlePtr m_render;
    std::vector<double> m_renderValues;  // what the running render shows
    std::vector<double> m_shownValues;   // what the take on show was rendered with
    bool m_renderStarted = false;
    QElapsedTimer m_renderClock;
    QTimer* m_renderTimer = nullptr;

    // An opened file, read block by block.
    std::unique_ptr<AudioFileReader> m_reader;
    QTimer* m_readTimer = nullptr;
    QString m_openPath;
    QString m_openName;
    qint64 m_openFrames = 0;
    std::optional<Provenance> m_openProvenance;
    QStringList m_openNotices;
    QString m_inputFile;  // the opened file a transfer reads (empty: none)
    QString m_inputName;
    std::shared_ptr<AudioTake> m_inputTake;  // its samples, when short enough to send whole
};

}  // namespace latent
