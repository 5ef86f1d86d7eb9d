#pragma once
// The queue as the GUI shows it: one row per job, updated only on the GUI
// thread from EngineBridge signals (never written by a worker). Queued rows
// can be dragged into another order: the engine reorders its queue, and the
// rows follow the engine's order, never the other way round.
#include <QAbstractTableModel>
#include <QTimer>

#include <chrono>
#include <optional>
#include <unordered_map>
#include <vector>

#include "latent/qt/MetaTypes.h"

namespace latent {

class EngineBridge;

class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { LabelColumn = 0, ModelColumn, StateColumn, ProgressColumn, EtaColumn, ElapsedColumn, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, StateRole, FractionRole, ErrorRole };
    // Ended jobs beyond this many are dropped, oldest first.
    static constexpr int kMaxEndedRows = 200;
    // What a dragged queue row carries: its job ids.
    static constexpr const char* kJobIdsMime = "application/x-latent-job-ids";

    explicit JobListModel(QObject* parent = nullptr);

    // Connects the bridge's signals to this model.
    void attach(EngineBridge* bridge);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Drag and drop: only queued rows move; a drop lands between rows.
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;
    // Moves the queued jobs `ids` (in their order) to just before the first
    // queued job at or after `row` (none: to the end of the queue). False
    // when none of them moved (not queued any more, no engine).
    bool moveJobs(const std::vector<JobId>& ids, int row);
    // The whole queue is paused (Engine::pause): nothing new starts.
    bool isPaused() const { return m_paused; }

    int rowOf(JobId id) const;  // -1 when unknown
    JobId jobAt(int row) const;
    JobState state(JobId id) const;  // Invalid when unknown
    QString label(JobId id) const;
    double fraction(JobId id) const;
    QString error(JobId id) const;
    // The oldest running job, 0 when none.
    JobId firstRunning() const;
    int activeCount() const;  // queued + running
    void clearEnded();

    static QString formatDuration(std::int64_t ms);
    static QString stateText(JobState state);  // "Running", … for display

public Q_SLOTS:
    void onQueued(const latent::JobInfo& job);
    void onStarted(const latent::JobInfo& job);
    void onProgress(const latent::JobInfo& job, const latent::Progress& progress);
    void onFinished(const latent::JobInfo& job, latent::JobState state, const latent::Provenance& provenance);
    void onFailed(const latent::JobInfo& job, latent::ErrorKind kind, const QString& message);
    // Takes the engine's paused state and queued order (after a move, a
    // pause, a restored queue).
    void syncQueue();

Q_SIGNALS:
    // A job changed state (convenient for status displays).
    void jobStateChanged(latent::JobId id, latent::JobState state);
    // Paused or resumed, or the queued order changed.
    void queueStateChanged();

private:
    using Clock = std::chrono::steady_clock;
    struct Row {
        JobInfo info;
        JobState state = JobState::Queued;
        double fraction = 0;
        std::int64_t etaMs = -1;
        Clock::time_point etaAt;
        std::optional<Clock::time_point> startedAt;
        std::optional<Clock::time_point> endedAt;
        QString message;  // the latest progress message
        QString error;
    };
    int ensureRow(const JobInfo& job);
    void setState(int row, JobState state);
    void emitRowChanged(int row);
    void trimEnded();
    // An interactive lane (slider renders, previews) runs many short jobs:
    // the queue keeps only its newest, plus any that failed.
    void dropEndedOfLane(const std::string& lane);
    void rebuildIndex();
    void tick();
    std::int64_t elapsedMs(const Row& r) const;

    std::vector<Row> m_rows;
    std::unordered_map<JobId, int> m_index;
    EngineBridge* m_bridge = nullptr;
    bool m_paused = false;
    QTimer m_ticker;  // refreshes elapsed/ETA of running jobs
};

}  // namespace latent
