#include "mainwindow/StudioStatusBar.h"

#include <QFile>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

#include <unistd.h>

#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/qt/EngineBridge.h"
#include "models/JobListModel.h"

namespace latent {

StudioStatusBar::StudioStatusBar(Studio& studio, QWidget* parent) : QStatusBar(parent), m_studio(studio) {
    setObjectName(QStringLiteral("statusBar"));
    m_job = new QLabel(this);
    m_job->setObjectName(QStringLiteral("statusJob"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setFixedWidth(140);
    m_progress->setMaximumHeight(14);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_device = new QLabel(this);
    m_device->setObjectName(QStringLiteral("statusDevice"));
    m_threads = new QLabel(this);
    m_threads->setObjectName(QStringLiteral("statusThreads"));
    m_memory = new QLabel(this);
    m_memory->setObjectName(QStringLiteral("statusMemory"));
    m_memory->setToolTip(tr("Memory in use by this process (resident set)"));
    m_recording = new QLabel(this);
    m_recording->setObjectName(QStringLiteral("statusRecording"));
    m_recording->hide();
    addWidget(m_job);
    addWidget(m_progress);
    addPermanentWidget(m_recording);
    addPermanentWidget(m_device);
    addPermanentWidget(m_threads);
    addPermanentWidget(m_memory);

    connect(&studio, &Studio::engineStarted, this, &StudioStatusBar::updateEngine);
    connect(&studio, &Studio::engineSettingsApplied, this, &StudioStatusBar::updateEngine);
    connect(&studio, &Studio::engineFailed, this, [this](const QString& msg) {
        m_device->setText(tr("Engine failed to start"));
        m_device->setToolTip(msg);
    });
    connect(&studio, &Studio::problem, this, [this](const QString& msg) { showMessage(msg, 8000); });
    JobListModel* jobs = studio.jobs();
    connect(jobs, &QAbstractItemModel::dataChanged, this, &StudioStatusBar::updateJob);
    connect(jobs, &QAbstractItemModel::rowsInserted, this, &StudioStatusBar::updateJob);
    connect(jobs, &QAbstractItemModel::rowsRemoved, this, &StudioStatusBar::updateJob);
    connect(jobs, &QAbstractItemModel::modelReset, this, &StudioStatusBar::updateJob);
    connect(jobs, &JobListModel::queueStateChanged, this, &StudioStatusBar::updateJob);
    connect(&m_timer, &QTimer::timeout, this, &StudioStatusBar::updateMemory);
    m_timer.start(1000);
    updateEngine();
    updateMemory();
    updateJob();
}

std::uint64_t StudioStatusBar::residentBytes() {
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = f.readAll().simplified().split(' ');
    if (fields.size() < 2) return 0;
    bool ok = false;
    const qulonglong pages = fields[1].toULongLong(&ok);
    const long pageSize = sysconf(_SC_PAGESIZE);
    return ok && pageSize > 0 ? std::uint64_t(pages) * std::uint64_t(pageSize) : 0;
}

QString StudioStatusBar::memoryText() const { return m_memory->text(); }

QString StudioStatusBar::recordingText() const { return m_recording->isHidden() ? QString() : m_recording->text(); }

void StudioStatusBar::updateRecording() {
    Engine* engine = m_studio.engine();
    if (!engine || engine->results()) {
        m_recording->hide();
        return;
    }
    const QString why = QString::fromStdString(engine->recordingProblem());
    m_recording->setText(tr("Recording off"));
    m_recording->setToolTip(why.isEmpty() ? tr("Results are not kept: no results folder is set (Settings › Storage)")
                                          : tr("Results are not kept: %1").arg(why));
    m_recording->setStyleSheet(QStringLiteral("color: #e5484d;"));
    m_recording->show();
}

void StudioStatusBar::onResultRecorded(qint64 jobId, qint64, const QString& error) {
    if (error.isEmpty()) return;
    // With recording off every job would say so; the permanent label does, once.
    if (m_studio.engine() && !m_studio.engine()->results()) return;
    showMessage(tr("Job #%1: %2").arg(jobId).arg(error), 10000);
}

void StudioStatusBar::updateEngine() {
    if (!m_studio.isReady()) {
        m_device->setText(m_studio.isStarting() ? tr("Starting engine…") : tr("No engine"));
        m_threads->clear();
        return;
    }
    connect(m_studio.bridge(), &EngineBridge::resultRecorded, this, &StudioStatusBar::onResultRecorded,
            Qt::UniqueConnection);
    updateRecording();
    QString device = m_studio.deviceId();
    for (const DeviceInfo& d : m_studio.engine()->devices())
        if (QString::fromStdString(d.id) == device && !d.name.empty()) device = QString::fromStdString(d.name);
    m_device->setText(tr("Device: %1").arg(device));
    const int threads = m_studio.threadCount();
    m_threads->setText(tr("Threads: %1").arg(threads));
}

void StudioStatusBar::updateMemory() {
    const std::uint64_t bytes = residentBytes();
    m_memory->setText(bytes ? tr("Memory: %1").arg(QLocale().formattedDataSize(qint64(bytes), 0))
                            : tr("Memory: n/a"));
}

void StudioStatusBar::updateJob() {
    JobListModel* jobs = m_studio.jobs();
    const JobId running = jobs->firstRunning();
    if (running == 0) {
        m_progress->hide();
        const int queued = jobs->activeCount();
        QString text = queued > 0 ? tr("%n job(s) queued", nullptr, queued) : QString();
        if (queued > 0 && jobs->isPaused()) text += tr(" · paused");
        m_job->setText(text);
        return;
    }
    const int others = jobs->activeCount() - 1;
    QString text = tr("Running: %1").arg(jobs->label(running));
    if (others > 0) text += tr(" (+%1 more)").arg(others);
    m_job->setText(text);
    m_progress->setValue(int(jobs->fraction(running) * 1000.0));
    m_progress->show();
}

}  // namespace latent
