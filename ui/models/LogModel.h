#pragma once
// The in-app log: the most recent lines, bounded so a chatty job cannot grow
// memory without limit. Filled on the GUI thread by QtLogSink.
#include <QAbstractListModel>

#include <deque>
#include <vector>

#include "models/LogEntry.h"

namespace latent {

class LogModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { LevelRole = Qt::UserRole + 1, MessageRole, TimeRole };
    static constexpr int kDefaultCapacity = 5000;

    explicit LogModel(QObject* parent = nullptr, int capacity = kDefaultCapacity);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    const LogEntry& entry(int row) const { return m_entries[std::size_t(row)]; }
    void append(const std::vector<LogEntry>& entries);
    void clear();

    static QString levelName(int level);

private:
    std::deque<LogEntry> m_entries;
    int m_capacity;
};

}  // namespace latent
