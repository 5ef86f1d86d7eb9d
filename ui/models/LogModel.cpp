#include "models/LogModel.h"

#include <QColor>
#include <QFont>
#include <QFontDatabase>

#include <algorithm>

namespace latent {

LogModel::LogModel(QObject* parent, int capacity)
    : QAbstractListModel(parent), m_capacity(std::max(1, capacity)) {}

int LogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

QString LogModel::levelName(int level) {
    switch (level) {
        case 0: return QStringLiteral("TRACE");
        case 1: return QStringLiteral("DEBUG");
        case 2: return QStringLiteral("INFO");
        case 3: return QStringLiteral("WARN");
        case 4: return QStringLiteral("ERROR");
        case 5: return QStringLiteral("FATAL");
        default: return QStringLiteral("?");
    }
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_entries.size())) return {};
    const LogEntry& e = m_entries[std::size_t(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return QStringLiteral("%1  %2  %3")
                .arg(e.time.toString(QStringLiteral("HH:mm:ss.zzz")), levelName(e.level).leftJustified(5),
                     e.message);
        case Qt::ToolTipRole:
            return QStringLiteral("%1 [%2] %3").arg(e.time.toString(Qt::ISODateWithMs), e.source, e.message);
        case Qt::ForegroundRole:
            if (e.level >= 4) return QColor(0xe5, 0x48, 0x4d);
            if (e.level == 3) return QColor(0xd9, 0x8e, 0x04);
            if (e.level <= 1) return QColor(0x8a, 0x8f, 0x98);
            return {};
        case Qt::FontRole: return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        case LevelRole: return e.level;
        case MessageRole: return e.message;
        case TimeRole: return e.time;
        default: return {};
    }
}

void LogModel::append(const std::vector<LogEntry>& entries) {
    if (entries.empty()) return;
    // Only the newest `capacity` lines of this batch can survive.
    auto first = entries.begin();
    if (int(entries.size()) > m_capacity) first = entries.end() - m_capacity;
    const int incoming = int(entries.end() - first);
    const int overflow = int(m_entries.size()) + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + overflow);
        endRemoveRows();
    }
    const int start = int(m_entries.size());
    beginInsertRows({}, start, start + incoming - 1);
    m_entries.insert(m_entries.end(), first, entries.end());
    endInsertRows();
}

void LogModel::clear() {
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

}  // namespace latent
