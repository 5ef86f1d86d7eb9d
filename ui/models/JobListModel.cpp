#include "models/JobListModel.h"

#include <QColor>
#include <QDataStream>
#include <QIODevice>
#include <QMimeData>

#include <algorithm>

#include "latent/Engine.h"
#include "latent/qt/EngineBridge.h"

namespace latent {

JobListModel::JobListModel(QObject* parent) : QAbstractTableModel(parent) {
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &JobListModel::tick);
}

void JobListModel::attach(EngineBridge* bridge) {
    m_bridge = bridge;
    m_paused = bridge->isPaused();
    connect(bridge, &EngineBridge::queueChanged, this, &JobListModel::syncQueue);
    connect(bridge, &EngineBridge::jobQueued, this, &JobListModel::onQueued);
    connect(bridge, &EngineBridge::jobStarted, this, &JobListModel::onStarted);
    connect(bridge, &EngineBridge::jobProgress, this, &JobListModel::onProgress);
    connect(bridge, &EngineBridge::jobFinished, this, &JobListModel::onFinished);
    connect(bridge, &EngineBridge::jobFailed, this, &JobListModel::onFailed);
}

int JobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JobListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString JobListModel::formatDuration(std::int64_t ms) {
    if (ms < 0) return {};
    const std::int64_t s = ms / 1000;
    if (s < 60) {
        const std::int64_t tenths = (ms + 50) / 100;  // rounded, so 180 ms reads 0.2 s
        return QStringLiteral("%1.%2 s").arg(tenths / 10).arg(tenths % 10);
    }
    if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString JobListModel::stateText(JobState state) {
    switch (state) {
        case JobState::Queued: return tr("Queued");
        case JobState::Running: return tr("Running");
        case JobState::Finished: return tr("Finished");
        case JobState::Cancelled: return tr("Cancelled");
        case JobState::Failed: return tr("Failed");
        default: return tr("Unknown");
    }
}

std::int64_t JobListModel::elapsedMs(const Row& r) const {
    if (!r.startedAt) return -1;
    const auto end = r.endedAt ? *r.endedAt : Clock::now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(end - *r.startedAt).count();
}

QVariant JobListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const Row& r = m_rows[std::size_t(index.row())];
    switch (role) {
        case JobIdRole: return QVariant::fromValue<qulonglong>(r.info.id);
        case StateRole: return int(r.state);
        case FractionRole: return r.fraction;
        case ErrorRole: return r.error;
        case Qt::ToolTipRole:
            if (!r.error.isEmpty()) return r.error;
            if (!r.message.isEmpty()) return r.message;
            return QStringLiteral("Job #%1 · seed %2").arg(r.info.id).arg(r.info.seed);
        case Qt::ForegroundRole:
            if (index.column() == StateColumn && r.state == JobState::Failed) return QColor(0xe5, 0x48, 0x4d);
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == EtaColumn || index.column() == ElapsedColumn)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::DisplayRole: break;
        default: return {};
    }
    switch (index.column()) {
        case LabelColumn:
            return r.info.label.empty() ? QStringLiteral("Job #%1").arg(r.info.id) : QString::fromStdString(r.info.label);
        case ModelColumn: return QString::fromStdString(r.info.modelId);
        case StateColumn: {
            // Queued jobs of a paused queue wait for Resume, not for a worker.
            if (r.state == JobState::Queued && m_paused) return tr("Paused");
            QString s = stateText(r.state);
            if (r.info.stale && r.state == JobState::Running) s += QStringLiteral(" (stale)");
            return s;
        }
        case ProgressColumn: return int(r.fraction * 100.0 + 0.5);
        case EtaColumn: {
            if (r.state != JobState::Running || r.etaMs < 0) return {};
            const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - r.etaAt).count();
            return formatDuration(std::max<std::int64_t>(0, r.etaMs - since));
        }
        case ElapsedColumn: return formatDuration(elapsedMs(r));
        default: return {};
    }
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case LabelColumn: return tr("Job");
        case ModelColumn: return tr("Model");
        case StateColumn: return tr("State");
        case ProgressColumn: return tr("Progress");
        case EtaColumn: return tr("ETA");
        case ElapsedColumn: return tr("Elapsed");
        default: return {};
    }
}

int JobListModel::rowOf(JobId id) const {
    auto it = m_index.find(id);
    return it == m_index.end() ? -1 : it->second;
}

JobId JobListModel::jobAt(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].info.id : 0;
}

JobState JobListModel::state(JobId id) const {
    const int row = rowOf(id);
    return row < 0 ? JobState::Invalid : m_rows[std::size_t(row)].state;
}

QString JobListModel::label(JobId id) const {
    const int row = rowOf(id);
    return row < 0 ? QString() : data(index(row, LabelColumn)).toString();
}

double JobListModel::fraction(JobId id) const {
    const int row = rowOf(id);
    return row < 0 ? 0.0 : m_rows[std::size_t(row)].fraction;
}

QString JobListModel::error(JobId id) const {
    const int row = rowOf(id);
    return row < 0 ? QString() : m_rows[std::size_t(row)].error;
}

JobId JobListModel::firstRunning() const {
    for (const Row& r : m_rows)
        if (r.state == JobState::Running) return r.info.id;
    return 0;
}

int JobListModel::activeCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return !isTerminal(r.state); }));
}

int JobListModel::ensureRow(const JobInfo& job) {
    int row = rowOf(job.id);
    if (row >= 0) {
        m_rows[std::size_t(row)].info = job;  // later snapshots carry the drawn seed, stale flag…
        return row;
    }
    if (!job.lane.empty()) dropEndedOfLane(job.lane);
    row = int(m_rows.size());
    beginInsertRows({}, row, row);
    Row r;
    r.info = job;
    m_rows.push_back(std::move(r));
    m_index[job.id] = row;
    endInsertRows();
    return row;
}

void JobListModel::emitRowChanged(int row) {
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobListModel::setState(int row, JobState state) {
    Row& r = m_rows[std::size_t(row)];
    if (r.state == state) return;
    // A late event must not revive an ended job (ordering across threads is
    // per job, but be defensive).
    if (isTerminal(r.state)) return;
    r.state = state;
    const auto now = Clock::now();
    if (state == JobState::Running && !r.startedAt) r.startedAt = now;
    if (isTerminal(state)) {
        r.endedAt = now;
        if (state == JobState::Finished) r.fraction = 1.0;
    }
    if (state == JobState::Running && !m_ticker.isActive()) m_ticker.start();
    emitRowChanged(row);
    Q_EMIT jobStateChanged(r.info.id, state);
}

void JobListModel::onQueued(const JobInfo& job) {
    const int row = ensureRow(job);
    emitRowChanged(row);
}

void JobListModel::onStarted(const JobInfo& job) { setState(ensureRow(job), JobState::Running); }

void JobListModel::onProgress(const JobInfo& job, const Progress& progress) {
    const int row = ensureRow(job);
    Row& r = m_rows[std::size_t(row)];
    if (isTerminal(r.state)) return;
    if (r.state == JobState::Queued) setState(row, JobState::Running);
    r.fraction = std::clamp(progress.fraction(), 0.0, 1.0);
    r.etaMs = progress.etaMs;
    r.etaAt = Clock::now();
    // The worker's own clock is exact; ours only saw the (queued) start event.
    if (progress.elapsedMs > 0) r.startedAt = r.etaAt - std::chrono::milliseconds(progress.elapsedMs);
    r.message = QString::fromStdString(progress.message);
    emitRowChanged(row);
}

void JobListModel::onFinished(const JobInfo& job, JobState state, const Provenance&) {
    setState(ensureRow(job), state == JobState::Cancelled ? JobState::Cancelled : JobState::Finished);
    trimEnded();
}

void JobListModel::onFailed(const JobInfo& job, ErrorKind kind, const QString& message) {
    const int row = ensureRow(job);
    m_rows[std::size_t(row)].error = QStringLiteral("%1: %2").arg(QString::fromUtf8(errorKindName(kind)), message);
    // A cancellation reported as an error is still a cancellation.
    setState(row, kind == ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed);
    trimEnded();
}

void JobListModel::tick() {
    bool anyRunning = false;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].state != JobState::Running) continue;
        anyRunning = true;
        Q_EMIT dataChanged(index(int(i), EtaColumn), index(int(i), ElapsedColumn));
    }
    if (!anyRunning) m_ticker.stop();
}

void JobListModel::rebuildIndex() {
    m_index.clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i) m_index[m_rows[i].info.id] = int(i);
}

void JobListModel::trimEnded() {
    int ended = int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return isTerminal(r.state); }));
    // Remove the oldest ended rows one contiguous run at a time.
    while (ended > kMaxEndedRows) {
        auto it = std::find_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return isTerminal(r.state); });
        const int row = int(it - m_rows.begin());
        beginRemoveRows({}, row, row);
        m_rows.erase(it);
        endRemoveRows();
        --ended;
    }
    rebuildIndex();
}

void JobListModel::dropEndedOfLane(const std::string& lane) {
    bool removed = false;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const Row& r = m_rows[std::size_t(row)];
        if (r.info.lane != lane || (r.state != JobState::Finished && r.state != JobState::Cancelled)) continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
        removed = true;
    }
    if (removed) rebuildIndex();
}

void JobListModel::clearEnded() {
    beginResetModel();
    std::erase_if(m_rows, [](const Row& r) { return isTerminal(r.state); });
    rebuildIndex();
    endResetModel();
}

// ---------------------------------------------------------------------------
// Reordering the queue

Qt::ItemFlags JobListModel::flags(const QModelIndex& index) const {
    // The root takes drops (between rows); rows do not, so a drop never
    // lands "on" a job. Only queued jobs can be dragged: the others have
    // started and their place is history.
    if (!index.isValid()) return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.row() < int(m_rows.size()) && m_rows[std::size_t(index.row())].state == JobState::Queued)
        f |= Qt::ItemIsDragEnabled;
    return f;
}

QStringList JobListModel::mimeTypes() const { return {QString::fromLatin1(kJobIdsMime)}; }

QMimeData* JobListModel::mimeData(const QModelIndexList& indexes) const {
    std::vector<int> rows;
    for (const QModelIndex& i : indexes)
        if (i.isValid() && i.row() < int(m_rows.size()) && m_rows[std::size_t(i.row())].state == JobState::Queued)
            rows.push_back(i.row());
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());  // one index per column
    if (rows.empty()) return nullptr;
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    for (int row : rows) out << quint64(m_rows[std::size_t(row)].info.id);
    auto* data = new QMimeData;
    data->setData(QString::fromLatin1(kJobIdsMime), bytes);
    return data;
}

bool JobListModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int,
                                const QModelIndex& parent) {
    if (action == Qt::IgnoreAction) return true;
    if (!data || !data->hasFormat(QString::fromLatin1(kJobIdsMime))) return false;
    std::vector<JobId> ids;
    QDataStream in(data->data(QString::fromLatin1(kJobIdsMime)));
    while (!in.atEnd()) {
        quint64 id = 0;
        in >> id;
        if (in.status() != QDataStream::Ok) break;
        ids.push_back(JobId(id));
    }
    int target = parent.isValid() ? parent.row() : row;
    if (target < 0) target = int(m_rows.size());  // on the empty space below the rows
    return moveJobs(ids, target);
}

bool JobListModel::moveJobs(const std::vector<JobId>& ids, int row) {
    if (!m_bridge || ids.empty()) return false;
    auto moving = [&](JobId id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); };
    JobId before = 0;
    for (int r = std::max(0, row); r < int(m_rows.size()); ++r) {
        const Row& x = m_rows[std::size_t(r)];
        if (x.state == JobState::Queued && !moving(x.info.id)) {
            before = x.info.id;
            break;
        }
    }
    // Each goes just before the same job (or to the end), so they keep their order.
    bool any = false;
    for (JobId id : ids) any = m_bridge->moveQueued(id, before) || any;
    return any;
}

void JobListModel::syncQueue() {
    if (!m_bridge) return;
    m_paused = m_bridge->isPaused();
    const std::vector<JobId> order = m_bridge->engine().queuedOrder();
    // The rows of queued jobs keep their places in the list; which job sits
    // in each follows the engine's order. Running and ended rows stay put.
    std::vector<int> places;
    std::vector<JobId> wanted;
    for (JobId id : order) {
        const int r = rowOf(id);
        if (r >= 0 && m_rows[std::size_t(r)].state == JobState::Queued) {
            places.push_back(r);
            wanted.push_back(id);
        }
    }
    std::sort(places.begin(), places.end());
    bool inOrder = true;
    for (std::size_t k = 0; k < places.size(); ++k) inOrder = inOrder && m_rows[std::size_t(places[k])].info.id == wanted[k];
    if (!inOrder) {
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        std::vector<int> newRowOf(m_rows.size());
        for (std::size_t i = 0; i < m_rows.size(); ++i) newRowOf[i] = int(i);
        std::vector<Row> rows = m_rows;
        for (std::size_t k = 0; k < places.size(); ++k) {
            const int from = rowOf(wanted[k]);
            rows[std::size_t(places[k])] = m_rows[std::size_t(from)];
            newRowOf[std::size_t(from)] = places[k];
        }
        const QModelIndexList before = persistentIndexList();
        QModelIndexList after;
        for (const QModelIndex& i : before) after << index(newRowOf[std::size_t(i.row())], i.column());
        m_rows = std::move(rows);
        rebuildIndex();
        changePersistentIndexList(before, after);
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
    // "Queued" reads "Paused" while the queue is paused.
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, StateColumn), index(int(m_rows.size()) - 1, StateColumn));
    Q_EMIT queueStateChanged();
}

}  // namespace latent
