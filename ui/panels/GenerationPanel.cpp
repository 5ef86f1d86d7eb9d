#include "panels/GenerationPanel.h"

#include <QComboBox>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/qt/EngineBridge.h"
#include "models/JobListModel.h"
#include "models/ModelListModel.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"
#include "widgets/ParamJson.h"
#include "widgets/SeedEdit.h"

namespace latent {

namespace {

QString settingsSafe(QString s) { return s.replace(QLatin1Char('/'), QLatin1Char('_')); }

}  // namespace

GenerationPanel::GenerationPanel(Modality modality, Studio& studio, QWidget* parent)
    : QWidget(parent), m_modality(modality), m_studio(studio) {
    setObjectName(modalityKey(modality) + QStringLiteral("Panel"));
    buildUi();
    connect(&m_studio, &Studio::engineStarted, this, &GenerationPanel::onEngineStarted);
    connect(&m_studio, &Studio::engineFailed, this, &GenerationPanel::onEngineFailed);
    connect(m_studio.models(), &QAbstractItemModel::modelReset, this, &GenerationPanel::reloadModels);
}

GenerationPanel::~GenerationPanel() = default;

void GenerationPanel::finishSetup() {
    QSettings& s = m_studio.settings().store();
    s.beginGroup(settingsGroup());
    m_savedModelId = s.value(QStringLiteral("model")).toString();
    if (s.contains(QStringLiteral("seed"))) m_seed->setSeed(s.value(QStringLiteral("seed")).toULongLong());
    m_seed->setRandomEachTime(s.value(QStringLiteral("randomSeed"), true).toBool());
    m_prompt->setPlainText(s.value(QStringLiteral("prompt")).toString());
    restoreExtraState(s);
    s.endGroup();
    if (m_studio.isReady()) onEngineStarted();
    else if (!m_studio.startError().isEmpty()) onEngineFailed(m_studio.startError());
    updatePage();
}

QString GenerationPanel::settingsGroup() const { return QStringLiteral("panels/") + modalityKey(m_modality); }

void GenerationPanel::buildUi() {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    // Page 0: the engine is still starting (or failed to).
    m_startingPage = new QWidget(this);
    auto* sl = new QVBoxLayout(m_startingPage);
    m_startingLabel = new QLabel(tr("Starting the engine…"), m_startingPage);
    m_startingLabel->setAlignment(Qt::AlignCenter);
    m_startingLabel->setWordWrap(true);
    sl->addWidget(m_startingLabel);
    m_stack->addWidget(m_startingPage);

    // Page 1: no model of this modality.
    m_emptyPage = buildEmptyPage();
    m_stack->addWidget(m_emptyPage);

    // Page 2: controls | output.
    m_workPage = new QWidget(this);
    auto* wl = new QHBoxLayout(m_workPage);
    wl->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, m_workPage);
    splitter->setChildrenCollapsible(false);
    wl->addWidget(splitter);

    auto* scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(buildControls());
    scroll->setMinimumWidth(300);

    auto* output = new QWidget(splitter);
    auto* ol = new QVBoxLayout(output);
    ol->setContentsMargins(8, 10, 10, 10);
    ol->setSpacing(8);
    m_banner = new MessageBanner(output);
    ol->addWidget(m_banner);
    auto* statusRow = new QHBoxLayout;
    m_status = new QLabel(tr("Ready"), output);
    m_status->setObjectName(QStringLiteral("jobStatus"));
    m_progress = new QProgressBar(output);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(180);
    m_progress->setMaximumHeight(8);
    m_progress->setVisible(false);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    ol->addLayout(statusRow);
    m_outputLayout = new QVBoxLayout;
    m_outputLayout->setContentsMargins(0, 0, 0, 0);
    ol->addLayout(m_outputLayout, 1);

    splitter->addWidget(scroll);
    splitter->addWidget(output);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({340, 900});
    m_stack->addWidget(m_workPage);
}

QWidget* GenerationPanel::buildControls() {
    auto* controls = new QWidget;
    auto* cl = new QVBoxLayout(controls);
    cl->setContentsMargins(12, 10, 8, 12);
    cl->setSpacing(10);

    auto* pickers = new QFormLayout;
    pickers->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    pickers->setHorizontalSpacing(12);
    m_modelPicker = new QComboBox(controls);
    m_modelPicker->setObjectName(QStringLiteral("modelPicker"));
    m_modelPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_modelPicker->setMinimumContentsLength(16);
    pickers->addRow(tr("Model"), m_modelPicker);
    m_taskPicker = new QComboBox(controls);
    m_taskPicker->setObjectName(QStringLiteral("taskPicker"));
    m_taskLabel = new QLabel(tr("Task"), controls);
    pickers->addRow(m_taskLabel, m_taskPicker);
    cl->addLayout(pickers);

    m_promptBox = new QWidget(controls);
    auto* pl = new QVBoxLayout(m_promptBox);
    pl->setContentsMargins(0, 0, 0, 0);
    pl->setSpacing(4);
    pl->addWidget(new QLabel(tr("Prompt"), m_promptBox));
    m_prompt = new QPlainTextEdit(m_promptBox);
    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setPlaceholderText(tr("Describe what to generate"));
    m_prompt->setMaximumHeight(96);
    pl->addWidget(m_prompt);
    cl->addWidget(m_promptBox);
    m_promptBox->setVisible(false);

    auto* paramsTitle = new QLabel(tr("Parameters"), controls);
    QFont bold = paramsTitle->font();
    bold.setBold(true);
    paramsTitle->setFont(bold);
    cl->addWidget(paramsTitle);
    m_form = new ParamForm(controls);
    m_form->setObjectName(QStringLiteral("paramForm"));
    cl->addWidget(m_form);

    auto* seedTitle = new QLabel(tr("Seed"), controls);
    seedTitle->setFont(bold);
    cl->addWidget(seedTitle);
    m_seed = new SeedEdit(controls);
    cl->addWidget(m_seed);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(8);
    m_generateButton = new QPushButton(QIcon(QStringLiteral(":/icons/generate.svg")), tr("Generate"), controls);
    m_generateButton->setObjectName(QStringLiteral("generateButton"));
    m_generateButton->setToolTip(tr("Start a job with these settings (Ctrl+Return)"));
    m_generateButton->setDefault(true);
    m_generateButton->setMinimumHeight(34);
    m_stopButton = new QPushButton(QIcon(QStringLiteral(":/icons/stop.svg")), tr("Stop"), controls);
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setToolTip(tr("Cancel this panel's running job (Esc)"));
    m_stopButton->setMinimumHeight(34);
    buttons->addWidget(m_generateButton, 2);
    buttons->addWidget(m_stopButton, 1);
    cl->addLayout(buttons);
    cl->addStretch(1);

    connect(m_modelPicker, &QComboBox::currentIndexChanged, this, [this] { loadModel(); });
    connect(m_taskPicker, &QComboBox::currentIndexChanged, this, [this] { loadTask(); });
    connect(m_generateButton, &QPushButton::clicked, this, [this] { generate(); });
    connect(m_stopButton, &QPushButton::clicked, this, &GenerationPanel::stop);
    updateActions();
    return controls;
}

QWidget* GenerationPanel::buildEmptyPage() {
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("emptyState"));
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    auto* icon = new QLabel(page);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/") + modalityKey(m_modality) + QStringLiteral(".svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignCenter);
    icon->setEnabled(false);
    layout->addWidget(icon);
    auto* title = new QLabel(tr("No %1 models yet.").arg(modalityKey(m_modality)), page);
    title->setObjectName(QStringLiteral("emptyTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    title->setFont(f);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    auto* text = new QLabel(
        tr("Add a model folder or import a TorchScript generator in Model Manager (Ctrl+M)."), page);
    text->setObjectName(QStringLiteral("emptyText"));
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    auto* open = new QPushButton(QIcon(QStringLiteral(":/icons/models.svg")), tr("Open Model Manager…"), page);
    open->setObjectName(QStringLiteral("openModelManager"));
    open->setMinimumHeight(32);
    connect(open, &QPushButton::clicked, this, &GenerationPanel::openModelManagerRequested);
    row->addWidget(open);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(3);
    return page;
}

void GenerationPanel::onEngineStarted() { reloadModels(); }

void GenerationPanel::onEngineFailed(const QString& message) {
    m_startingLabel->setText(tr("The engine could not start:\n%1\n\nSee the log for details.").arg(message));
    updatePage();
}

void GenerationPanel::updatePage() {
    QWidget* page = m_workPage;
    if (!m_studio.isReady()) page = m_startingPage;
    else if (m_modelPicker->count() == 0) page = m_emptyPage;
    m_stack->setCurrentWidget(page);
    updateActions();
}

bool GenerationPanel::isShowingEmptyState() const { return m_stack->currentWidget() == m_emptyPage; }

void GenerationPanel::reloadModels() {
    const auto models = m_studio.models()->validFor(modalityKey(m_modality));
    QString keep = m_modelPicker->currentData().toString();
    if (keep.isEmpty()) keep = m_savedModelId;
    {
        const QSignalBlocker block(m_modelPicker);
        m_modelPicker->clear();
        for (const ModelPackage& p : models) {
            const QString id = QString::fromStdString(p.id);
            m_modelPicker->addItem(QString::fromStdString(p.name.empty() ? p.id : p.name), id);
            const int row = m_modelPicker->count() - 1;
            m_modelPicker->setItemData(row,
                                       p.description.empty() ? id : QString::fromStdString(p.description),
                                       Qt::ToolTipRole);
        }
        const int idx = m_modelPicker->findData(keep);
        m_modelPicker->setCurrentIndex(idx >= 0 ? idx : (m_modelPicker->count() > 0 ? 0 : -1));
    }
    updatePage();
    // Reload even when the id is unchanged: a rescan may have changed the package.
    loadModel();
}

bool GenerationPanel::selectModel(const QString& id) {
    const int idx = m_modelPicker->findData(id);
    if (idx < 0) return false;
    m_modelPicker->setCurrentIndex(idx);
    return true;
}

QString GenerationPanel::paramsKey(const QString& model, const QString& task) const {
    return settingsGroup() + QStringLiteral("/params/") + settingsSafe(model) + QLatin1Char('/') + settingsSafe(task);
}

void GenerationPanel::stashParams() {
    if (m_modelId.isEmpty() || m_taskId.isEmpty() || m_form->isEmpty()) return;
    m_studio.settings().store().setValue(paramsKey(m_modelId, m_taskId), paramMapToJsonText(m_form->values()));
}

void GenerationPanel::loadModel() {
    stashParams();
    m_modelId = m_modelPicker->currentData().toString();
    m_tasks.clear();
    m_taskId.clear();
    {
        const QSignalBlocker block(m_taskPicker);
        m_taskPicker->clear();
    }
    m_form->setSchema({});
    if (m_modelId.isEmpty() || !m_studio.engine()) {
        updateActions();
        return;
    }
    std::vector<TaskInfo> all;
    try {
        // The engine resolves the package's tasks and defaults; the panel
        // only renders them. May load the family's plugin (a dlopen): quick.
        all = m_studio.engine()->tasksForModel(m_modelId.toStdString());
    } catch (const std::exception& e) {
        const QString msg = tr("Cannot use model %1: %2").arg(m_modelId, QString::fromUtf8(e.what()));
        spdlog::error("{}", msg.toStdString());
        showError(msg);
        m_taskPicker->setVisible(false);
        m_taskLabel->setVisible(false);
        updateActions();
        return;
    }
    const std::string modality = modalityKey(m_modality).toStdString();
    for (TaskInfo& t : all)
        if (taskModality(t.id) == modality) m_tasks.push_back(std::move(t));
    if (m_tasks.empty()) {
        showError(tr("Model %1 offers no %2 task its plugin knows.").arg(m_modelId, modalityKey(m_modality)));
        updateActions();
        return;
    }
    if (m_banner->kind() == MessageBanner::Kind::Error && m_banner->text().startsWith(tr("Cannot use model")))
        m_banner->dismiss();

    QSettings& s = m_studio.settings().store();
    s.setValue(settingsGroup() + QStringLiteral("/model"), m_modelId);
    m_savedModelId = m_modelId;
    const QString savedTask =
        s.value(settingsGroup() + QStringLiteral("/task/") + settingsSafe(m_modelId)).toString();
    {
        const QSignalBlocker block(m_taskPicker);
        for (const TaskInfo& t : m_tasks) {
            const QString id = QString::fromStdString(t.id);
            m_taskPicker->addItem(t.label.empty() ? id : QString::fromStdString(t.label), id);
        }
        const int idx = m_taskPicker->findData(savedTask);
        m_taskPicker->setCurrentIndex(idx >= 0 ? idx : 0);
    }
    const bool several = m_tasks.size() > 1;
    m_taskPicker->setVisible(several);
    m_taskLabel->setVisible(several);
    loadTask();
}

void GenerationPanel::loadTask() {
    stashParams();
    const int idx = m_taskPicker->currentIndex();
    if (idx < 0 || idx >= int(m_tasks.size())) {
        m_taskId.clear();
        m_form->setSchema({});
        updateActions();
        return;
    }
    const TaskInfo& task = m_tasks[std::size_t(idx)];
    m_taskId = QString::fromStdString(task.id);
    m_form->setSchema(task.params);
    QSettings& s = m_studio.settings().store();
    s.setValue(settingsGroup() + QStringLiteral("/task/") + settingsSafe(m_modelId), m_taskId);
    const QString saved = s.value(paramsKey(m_modelId, m_taskId)).toString();
    if (!saved.isEmpty()) m_form->setValues(paramMapFromJsonText(saved));
    m_promptWanted = wantsPrompt(m_taskId);
    m_promptBox->setVisible(m_promptWanted);
    taskSelected(task);
    updateActions();
}

bool GenerationPanel::canGenerate() const {
    return m_studio.isReady() && !m_studio.isShutDown() && !m_modelId.isEmpty() && !m_taskId.isEmpty();
}

void GenerationPanel::updateActions() {
    if (!m_generateButton) return;
    m_generateButton->setEnabled(canGenerate());
    m_stopButton->setEnabled(isJobActive());
    Q_EMIT actionsChanged();
}

QString GenerationPanel::errorText() const { return m_banner ? m_banner->text() : QString(); }

void GenerationPanel::showError(const QString& message) { m_banner->showError(message); }

void GenerationPanel::setStatus(const QString& text) { m_status->setText(text); }

std::optional<JobRequest> GenerationPanel::formRequest() {
    if (!canGenerate()) {
        if (m_studio.isReady() && !m_studio.isShutDown() && m_modelPicker->count() > 0)
            showError(tr("Choose a model and a task first."));
        return std::nullopt;
    }
    JobRequest request;
    request.modelId = m_modelId.toStdString();
    request.task = m_taskId.toStdString();
    request.params = m_form->values();
    request.seed = m_seed->nextSeed();
    request.label = QStringLiteral("%1 · %2").arg(m_modelPicker->currentText(), m_taskPicker->currentText()).toStdString();
    if (m_promptWanted) request.inputs.prompt = m_prompt->toPlainText().toStdString();
    return request;
}

JobId GenerationPanel::generate() {
    auto request = formRequest();
    if (!request) return 0;
    fillRequest(*request);
    return submit(std::move(*request));
}

JobId GenerationPanel::submit(JobRequest request) {
    // The panel shows one job: a new Generate replaces the one still running
    // rather than leaving it to burn the device unseen.
    if (isJobActive()) m_job->cancel();
    m_lastProvenance = Provenance{};  // the canvas is about to show the new job
    m_banner->dismiss();
    stashParams();
    m_metricText.clear();
    jobStarting(request);
    const std::uint64_t seed = *request.seed;
    const std::string label = request.label;
    m_job = m_studio.bridge()->submit(std::move(request));
    connect(m_job.get(), &JobHandle::started, this, &GenerationPanel::onJobStarted);
    connect(m_job.get(), &JobHandle::progress, this, &GenerationPanel::onJobProgress);
    connect(m_job.get(), &JobHandle::chunk, this, &GenerationPanel::onJobChunk);
    connect(m_job.get(), &JobHandle::finished, this, &GenerationPanel::onJobFinished);
    connect(m_job.get(), &JobHandle::failed, this, &GenerationPanel::onJobFailed);
    const JobId id = m_job->id();
    m_progress->setValue(0);
    m_progress->setVisible(true);
    setStatus(tr("Queued · job #%1 · seed %2").arg(id).arg(seed));
    spdlog::info("{} panel: submitted job #{} ({}, seed {})", modalityKey(m_modality).toStdString(), id, label, seed);
    updateActions();
    return id;
}

void GenerationPanel::stop() {
    if (!isJobActive()) return;
    m_job->cancel();
    setStatus(tr("Stopping…"));
}

void GenerationPanel::onJobStarted(const JobInfo& job) {
    setStatus(tr("Running · job #%1 · seed %2").arg(job.id).arg(job.seed));
    updateActions();
}

void GenerationPanel::onJobProgress(const JobInfo&, const Progress& progress) {
    m_progress->setValue(int(progress.fraction() * 1000.0));
    QString text = progress.total > 0 ? tr("Step %1 / %2").arg(progress.done).arg(progress.total)
                                      : tr("Running");
    if (progress.etaMs >= 0) text += tr(" · ETA %1").arg(JobListModel::formatDuration(progress.etaMs));
    if (!progress.message.empty()) text += QStringLiteral(" · ") + QString::fromStdString(progress.message);
    if (!m_metricText.isEmpty()) text += QStringLiteral(" · ") + m_metricText;
    setStatus(text);
}

void GenerationPanel::onJobChunk(const JobInfo& job, const ChunkPtr& chunk) {
    if (!chunk) return;
    if (const auto* metric = std::get_if<Metric>(chunk.get())) {
        m_metricText = QStringLiteral("%1 %2").arg(QString::fromStdString(metric->name)).arg(metric->value, 0, 'g', 4);
    }
    chunkArrived(job, *chunk);
}

void GenerationPanel::onJobFinished(const JobInfo& job, JobState state, const Provenance& provenance) {
    // A stopped job's output stays on screen, and so does what made it.
    m_lastProvenance = provenance;
    m_progress->setVisible(false);
    setStatus(state == JobState::Cancelled ? tr("Cancelled · job #%1").arg(job.id)
                                           : tr("Finished · job #%1 · seed %2").arg(job.id).arg(job.seed));
    jobEnded(state);
    updateActions();
}

void GenerationPanel::onJobFailed(const JobInfo& job, ErrorKind kind, const QString& message) {
    m_progress->setVisible(false);
    if (kind == ErrorKind::Cancelled) {
        setStatus(tr("Cancelled · job #%1").arg(job.id));
    } else {
        setStatus(tr("Failed · job #%1").arg(job.id));
        // The engine logs every failure; the panel shows its own.
        showError(tr("Job #%1 failed: %2").arg(job.id).arg(message));
    }
    jobEnded(m_job->state());
    updateActions();
}

void GenerationPanel::fillRequest(JobRequest&) {}
void GenerationPanel::jobEnded(JobState) {}
void GenerationPanel::taskSelected(const TaskInfo&) {}

bool GenerationPanel::wantsPrompt(const QString& task) const { return task.endsWith(QLatin1String("from_text")); }

void GenerationPanel::saveExtraState(QSettings&) const {}
void GenerationPanel::restoreExtraState(QSettings&) {}

void GenerationPanel::setOutputWidget(QWidget* widget) { m_outputLayout->addWidget(widget, 1); }

void GenerationPanel::saveState() {
    stashParams();
    QSettings& s = m_studio.settings().store();
    if (!m_modelId.isEmpty()) {
        s.setValue(settingsGroup() + QStringLiteral("/model"), m_modelId);
        if (!m_taskId.isEmpty()) s.setValue(settingsGroup() + QStringLiteral("/task/") + settingsSafe(m_modelId), m_taskId);
    }
    s.beginGroup(settingsGroup());
    s.setValue(QStringLiteral("seed"), QVariant::fromValue<qulonglong>(m_seed->seed()));
    s.setValue(QStringLiteral("randomSeed"), m_seed->randomEachTime());
    s.setValue(QStringLiteral("prompt"), m_prompt->toPlainText());
    saveExtraState(s);
    s.endGroup();
}

}  // namespace latent
