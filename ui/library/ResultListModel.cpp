#include "library/ResultListModel.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QLocale>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

namespace latent {
namespace {

constexpr int kPreviewBytes = 1200;  // enough for the lines a tile has room for
constexpr int kThumbnailSide = 160;  // what the engine writes; also the size for results without one

QString fromStd(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

ResultListModel::ResultListModel(QObject* parent) : QAbstractListModel(parent) {}

void ResultListModel::setLibrary(ResultLibrary* library) {
    m_library = library;
    m_thumbnails.clear();
    load(kPageSize);
}

void ResultListModel::setQuery(const ResultQuery& query) {
    m_query = query;
    load(kPageSize);
}

int ResultListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

std::vector<ResultRecord> ResultListModel::fetch(int offset, int limit) {
    if (!m_library) return {};
    ResultQuery q = m_query;
    q.offset = offset;
    q.limit = limit;
    try {
        return m_library->query(q);
    } catch (const std::exception& e) {
        // A busy or damaged database: keep what is listed, say why once.
        spdlog::error("Results library: cannot list results: {}", e.what());
        Q_EMIT queryFailed(QString::fromUtf8(e.what()));
        return {};
    }
}

void ResultListModel::reload() { load(std::max<int>(kPageSize, int(m_rows.size()))); }

void ResultListModel::load(int keep) {
    std::vector<ResultRecord> records = fetch(0, keep + 1);
    beginResetModel();
    m_rows.clear();
    // One more than asked for tells whether another page exists.
    m_hasMore = int(records.size()) > keep;
    if (m_hasMore) records.resize(std::size_t(keep));
    m_rows.reserve(records.size());
    for (auto& r : records) m_rows.push_back(Row{std::move(r), {}, {}});
    endResetModel();
}

bool ResultListModel::canFetchMore(const QModelIndex& parent) const { return !parent.isValid() && m_hasMore; }

void ResultListModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || !m_hasMore) return;
    std::vector<ResultRecord> records = fetch(int(m_rows.size()), kPageSize + 1);
    m_hasMore = int(records.size()) > kPageSize;
    if (m_hasMore) records.resize(kPageSize);
    // Rows listed already (a result recorded since the last page shifted the
    // offsets) are not listed twice.
    std::unordered_set<std::int64_t> listed;
    for (const Row& r : m_rows) listed.insert(r.record.id);
    std::erase_if(records, [&](const ResultRecord& r) { return listed.count(r.id) != 0; });
    if (records.empty()) return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(records.size()) - 1);
    for (auto& r : records) m_rows.push_back(Row{std::move(r), {}, {}});
    endInsertRows();
}

void ResultListModel::addNewer() {
    if (!m_library) return;
    if (m_rows.empty()) {
        reload();
        return;
    }
    // Newest first: whatever the first page holds above the current top row
    // is new. A burst of more than a page falls back to a reload.
    const ResultRecord& top = m_rows.front().record;
    std::vector<ResultRecord> records = fetch(0, kPageSize);
    std::vector<ResultRecord> newer;
    for (auto& r : records) {
        if (r.id == top.id) break;
        if (r.createdMs < top.createdMs || (r.createdMs == top.createdMs && r.id < top.id)) break;
        if (rowOf(r.id) < 0) newer.push_back(std::move(r));
    }
    if (newer.empty()) return;
    if (int(newer.size()) >= kPageSize) {
        reload();
        return;
    }
    beginInsertRows({}, 0, int(newer.size()) - 1);
    std::vector<Row> rows;
    rows.reserve(newer.size() + m_rows.size());
    for (auto& r : newer) rows.push_back(Row{std::move(r), {}, {}});
    std::move(m_rows.begin(), m_rows.end(), std::back_inserter(rows));
    m_rows = std::move(rows);
    endInsertRows();
}

void ResultListModel::refreshRow(std::int64_t id) {
    const int row = rowOf(id);
    if (row < 0 || !m_library) return;
    try {
        if (auto r = m_library->get(id)) m_rows[std::size_t(row)].record = std::move(*r);
    } catch (const std::exception& e) {
        spdlog::error("Results library: cannot read result {}: {}", id, e.what());
        return;
    }
    Q_EMIT dataChanged(index(row), index(row));
}

bool ResultListModel::removeRow(std::int64_t id) {
    const int row = rowOf(id);
    if (row < 0) return false;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    m_thumbnails.remove(id);
    return true;
}

const ResultRecord* ResultListModel::record(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[std::size_t(row)].record : nullptr;
}

const ResultRecord* ResultListModel::recordById(std::int64_t id) const { return record(rowOf(id)); }

int ResultListModel::rowOf(std::int64_t id) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].record.id == id) return int(i);
    return -1;
}

QStringList ResultListModel::filePaths(const ResultRecord& record) const {
    QStringList out;
    if (!m_library) return out;
    for (const ResultFile& f : record.files) out << fromStd(m_library->absolute(f.path).string());
    return out;
}

bool ResultListModel::isMissing(int row) const {
    return row >= 0 && row < int(m_rows.size()) && missing(m_rows[std::size_t(row)]);
}

bool ResultListModel::missing(const Row& row) const {
    if (!row.missing) {
        // Files deleted by hand (or a library folder on a drive that is not
        // mounted): the result still lists, as a placeholder.
        bool gone = row.record.files.empty();
        for (const QString& path : filePaths(row.record)) gone = gone || !QFileInfo::exists(path);
        row.missing = gone;
    }
    return *row.missing;
}

QImage ResultListModel::thumbnail(const Row& row) const {
    const ResultRecord& r = row.record;
    const bool audio = r.modality == "audio";  // its thumbnail is the recorder's waveform picture
    if ((r.modality != "image" && !audio) || missing(row) || !m_library) return {};
    if (QImage* cached = m_thumbnails.object(r.id)) return *cached;
    // Decoding a 160 px PNG takes well under a millisecond, and the view only
    // asks for tiles it paints, so this stays on the GUI thread.
    QString path = r.thumbnail.empty() ? QString() : fromStd(m_library->absolute(r.thumbnail).string());
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        if (audio) return {};
        const QStringList files = filePaths(r);
        if (files.isEmpty()) return {};
        path = files.front();
    }
    QImageReader reader(path);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kThumbnailSide || size.height() > kThumbnailSide))
        reader.setScaledSize(size.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull()) return {};
    const int costKb = std::max<int>(1, int(image.sizeInBytes() / 1024));
    m_thumbnails.insert(r.id, new QImage(image), costKb);
    return image;
}

QString ResultListModel::preview(const Row& row) const {
    if (!row.preview) {
        QString text;
        for (const QString& path : filePaths(row.record)) {
            if (!path.endsWith(QLatin1String(".txt"))) continue;
            QFile f(path);
            if (f.open(QIODevice::ReadOnly)) text = QString::fromUtf8(f.read(kPreviewBytes));
            break;
        }
        // A text that stopped before its first token shows what it was asked.
        if (text.trimmed().isEmpty()) text = fromStd(row.record.prompt);
        row.preview = text;
    }
    return *row.preview;
}

QString ResultListModel::toolTip(const Row& row) const {
    const ResultRecord& r = row.record;
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(r.createdMs);
    QStringList lines;
    if (!r.prompt.empty()) {
        QString prompt = fromStd(r.prompt);
        if (prompt.size() > 300) prompt = prompt.left(300) + QStringLiteral("…");
        lines << tr("Prompt: %1").arg(prompt.toHtmlEscaped());
    }
    lines << tr("Model: %1").arg(fromStd(r.modelId).toHtmlEscaped());
    lines << tr("Task: %1").arg(fromStd(r.task).toHtmlEscaped());
    lines << tr("Seed: %1").arg(r.seed);
    lines << tr("Made: %1").arg(QLocale().toString(when, QLocale::ShortFormat));
    if (r.rating > 0) lines << tr("Rating: %1").arg(QString(r.rating, QChar(0x2605)));
    if (r.state == "cancelled") lines << tr("Stopped before the end");
    if (!r.tags.empty()) {
        QStringList tags;
        for (const auto& t : r.tags) tags << fromStd(t).toHtmlEscaped();
        lines << tr("Tags: %1").arg(tags.join(QStringLiteral(", ")));
    }
    if (missing(row)) lines << tr("<b>files missing</b> (deleted or moved outside the studio)");
    return lines.join(QStringLiteral("<br>"));
}

QVariant ResultListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const Row& row = m_rows[std::size_t(index.row())];
    const ResultRecord& r = row.record;
    switch (role) {
        case Qt::DisplayRole: {
            QString label = fromStd(r.prompt).simplified();
            if (label.isEmpty()) label = fromStd(r.modelId);
            return label;
        }
        case Qt::ToolTipRole: return toolTip(row);
        case IdRole: return QVariant::fromValue<qlonglong>(r.id);
        case ModalityRole: return fromStd(r.modality);
        case ModelRole: return fromStd(r.modelId);
        case PromptRole: return fromStd(r.prompt);
        case SeedRole: return QVariant::fromValue<qulonglong>(r.seed);
        case CreatedRole: return QDateTime::fromMSecsSinceEpoch(r.createdMs);
        case FavouriteRole: return r.favourite;
        case MissingRole: return missing(row);
        case TextPreviewRole: return r.modality == "image" ? QString() : preview(row);
        case ThumbnailRole: return thumbnail(row);
        default: return {};
    }
}

}  // namespace latent
