#pragma once
// What every modality panel shares: model and task pickers, the parameter
// form, the seed, Generate/Stop, the job's status and an error banner. A
// subclass supplies the output area and turns its job's chunks into output.
// Panels follow only the jobs they submitted and ignore everyone else's.
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "latent/JobRequest.h"
#include "latent/TaskInfo.h"
#include "latent/qt/JobHandle.h"
#include "latent/qt/MetaTypes.h"
#include "panels/Modality.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QStackedWidget;
class QVBoxLayout;

namespace latent {

class MessageBanner;
class ParamForm;
class SeedEdit;
class Studio;
struct ModelPackage;

class GenerationPanel : public QWidget {
    Q_OBJECT
public:
    GenerationPanel(Modality modality, Studio& studio, QWidget* parent = nullptr);
    ~GenerationPanel() override;

    Modality modality() const { return m_modality; }
    QString title() const { return modalityTitle(m_modality); }

    QComboBox* modelPicker() const { return m_modelPicker; }
    QComboBox* taskPicker() const { return m_taskPicker; }
    ParamForm* paramForm() const { return m_form; }
    SeedEdit* seedEdit() const { return m_seed; }
    QPushButton* generateButton() const { return m_generateButton; }
    QPushButton* stopButton() const { return m_stopButton; }
    MessageBanner* banner() const { return m_banner; }

    QString currentModelId() const { return m_modelId; }
    QString currentTaskId() const { return m_taskId; }
    JobId currentJob() const { return m_job ? m_job->id() : 0; }
    JobState currentJobState() const { return m_job ? m_job->state() : JobState::Invalid; }
    bool isJobActive() const { return m_job && m_job->isActive(); }
    bool canGenerate() const;
    // The text of the visible error banner; empty when none shows.
    QString errorText() const;
    // True while the "no models of this modality" page shows.
    bool isShowingEmptyState() const;

    // Selects a model by id; false when the picker does not list it.
    bool selectModel(const QString& id);

    // Window-level persistence (model, task, seed mode, parameters).
    void saveState();
    // Provenance of this panel's last finished job (empty model id when none).
    const Provenance& lastProvenance() const { return m_lastProvenance; }

    // "Use settings" of a result: selects its model and task and fills in its
    // parameters, its seed (fixed, so Generate makes it again) and its
    // prompt. False, with the reason in `why`, when its model is not
    // installed (nothing is changed then).
    virtual bool applyProvenance(const Provenance& provenance, QString* why = nullptr);

public Q_SLOTS:
    // Submits a job from the form; returns its id, or 0 when nothing could be
    // submitted (the reason is shown in the banner).
    JobId generate();
    void stop();
    void reloadModels();

Q_SIGNALS:
    void openModelManagerRequested();
    // Generate/Stop availability changed.
    void actionsChanged();

protected:
    // The form's request (model, task, parameters, next seed, prompt), or
    // nullopt with a message in the banner when nothing can run now.
    std::optional<JobRequest> formRequest();
    // Submits `request` as the job the panel shows (replacing one that still
    // runs); returns its id.
    JobId submit(JobRequest request);

    // Hooks for the modality. fillRequest completes Generate's request.
    virtual void fillRequest(JobRequest& request);
    virtual void jobStarting(const JobRequest& request) = 0;  // clear the output
    virtual void chunkArrived(const JobInfo& job, const Chunk& chunk) = 0;
    virtual void jobEnded(JobState state);
    virtual void taskSelected(const TaskInfo& task);
    // Whether the shared prompt box shows for `task` (the text panel has its own).
    virtual bool wantsPrompt(const QString& task) const;
    virtual void saveExtraState(QSettings& settings) const;
    virtual void restoreExtraState(QSettings& settings);

    // For subclass constructors.
    void setOutputWidget(QWidget* widget);
    void showError(const QString& message);
    // The line above the output ("Finished · job #3 · seed 7"); a panel that
    // shows something else (opened files) says so here.
    void setStatus(const QString& text);
    Studio& studio() const { return m_studio; }
    QString settingsGroup() const;  // "panels/<modality>"
    // Call at the end of the subclass constructor: restores state and, when
    // the engine already runs, lists the models.
    void finishSetup();

private:
    void buildUi();
    QWidget* buildControls();
    QWidget* buildEmptyPage();
    void onEngineStarted();
    void onEngineFailed(const QString& message);
    void updatePage();
    void updateActions();
    void loadModel();
    void loadTask();
    void stashParams();
    QString paramsKey(const QString& model, const QString& task) const;

    void onJobStarted(const JobInfo& job);
    void onJobProgress(const JobInfo& job, const Progress& progress);
    void onJobChunk(const JobInfo& job, const ChunkPtr& chunk);
    void onJobFinished(const JobInfo& job, JobState state, const Provenance& provenance);
    void onJobFailed(const JobInfo& job, ErrorKind kind, const QString& message);

    Modality m_modality;
    Studio& m_studio;

    QStackedWidget* m_stack = nullptr;
    QWidget* m_startingPage = nullptr;
    QLabel* m_startingLabel = nullptr;
    QWidget* m_emptyPage = nullptr;
    QWidget* m_workPage = nullptr;

    QComboBox* m_modelPicker = nullptr;
    QLabel* m_taskLabel = nullptr;
    QComboBox* m_taskPicker = nullptr;
    QWidget* m_promptBox = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
    ParamForm* m_form = nullptr;
    SeedEdit* m_seed = nullptr;
    QPushButton* m_generateButton = nullptr;
    QPushButton* m_stopButton = nullptr;

    MessageBanner* m_banner = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QVBoxLayout* m_outputLayout = nullptr;

    std::vector<TaskInfo> m_tasks;  // the current model's tasks of this modality
    QString m_modelId;
    QString m_taskId;
    Provenance m_lastProvenance;
    QString m_savedModelId;  // from settings, until the picker can honour it
    bool m_promptWanted = false;

    JobHandlePtr m_job;  // the job the panel shows; its events only
    QString m_metricText;
};

}  // namespace latent
