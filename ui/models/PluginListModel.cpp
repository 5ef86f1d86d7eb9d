#include "models/PluginListModel.h"

#include <QColor>
#include <QStringList>

namespace latent {

PluginListModel::PluginListModel(QObject* parent) : QAbstractTableModel(parent) {}

int PluginListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_plugins.size());
}

int PluginListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PluginListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_plugins.size())) return {};
    const PluginRecord& p = m_plugins[std::size_t(index.row())];
    const bool failed = p.state == PluginState::Failed;
    switch (role) {
        case Qt::ForegroundRole: return failed ? QVariant(QColor(0xe5, 0x48, 0x4d)) : QVariant();
        case Qt::ToolTipRole:
            return failed ? QString::fromStdString(p.error) : QString::fromStdString(p.dir.string());
        case Qt::DisplayRole: break;
        default: return {};
    }
    switch (index.column()) {
        case IdColumn: return QString::fromStdString(p.id);
        case NameColumn: return QString::fromStdString(p.name);
        case VersionColumn: return QString::fromStdString(p.version);
        case StateColumn: return QString::fromUtf8(pluginStateName(p.state));
        case TasksColumn: {
            QStringList tasks;
            for (const auto& t : p.tasks) tasks << QString::fromStdString(t);
            return tasks.join(QStringLiteral(", "));
        }
        case ErrorColumn: return QString::fromStdString(p.error);
        default: return {};
    }
}

QVariant PluginListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case IdColumn: return tr("Id");
        case NameColumn: return tr("Name");
        case VersionColumn: return tr("Version");
        case StateColumn: return tr("State");
        case TasksColumn: return tr("Tasks");
        case ErrorColumn: return tr("Error");
        default: return {};
    }
}

void PluginListModel::setPlugins(std::vector<PluginRecord> plugins) {
    beginResetModel();
    m_plugins = std::move(plugins);
    endResetModel();
}

}  // namespace latent
