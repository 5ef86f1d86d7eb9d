#pragma once
// The plugin host's records as a table (Model Manager → Plugins).
#include <QAbstractTableModel>

#include <vector>

#include "latent/PluginHost.h"

namespace latent {

class PluginListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn = 0, NameColumn, VersionColumn, StateColumn, TasksColumn, ErrorColumn, ColumnCount };

    explicit PluginListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setPlugins(std::vector<PluginRecord> plugins);
    const std::vector<PluginRecord>& plugins() const { return m_plugins; }

private:
    std::vector<PluginRecord> m_plugins;
};

}  // namespace latent
