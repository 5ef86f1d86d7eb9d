#include "models/LogFilterModel.h"

#include "models/LogModel.h"

namespace latent {

LogFilterModel::LogFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {}

void LogFilterModel::setMinimumLevel(int level) {
    if (level == m_minimumLevel) return;
    m_minimumLevel = level;
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    return idx.data(LogModel::LevelRole).toInt() >= m_minimumLevel;
}

}  // namespace latent
