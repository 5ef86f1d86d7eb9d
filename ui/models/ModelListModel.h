#pragma once
// The model registry's entries as a table (Model Manager) and the source of
// every panel's model picker.
#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

#include "latent/ModelRegistry.h"

namespace latent {

class ModelListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn = 0, IdColumn, FamilyColumn, TasksColumn, SourceColumn, StatusColumn, ColumnCount };
    enum Role { ModelIdRole = Qt::UserRole + 1, ValidRole, ErrorRole };

    explicit ModelListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces every row (a model reset: pickers rebuild themselves).
    void setEntries(std::vector<ModelEntry> entries);
    const std::vector<ModelEntry>& entries() const { return m_entries; }
    // Valid packages with at least one task of `modality` ("image", …).
    std::vector<ModelPackage> validFor(const QString& modality) const;
    const ModelPackage* findValid(const QString& id) const;

private:
    std::vector<ModelEntry> m_entries;
};

}  // namespace latent
