#include "models/ModelListModel.h"

#include <QColor>

#include "latent/TaskInfo.h"

namespace latent {

ModelListModel::ModelListModel(QObject* parent) : QAbstractTableModel(parent) {}

int ModelListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ModelListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

namespace {
QString joinTasks(const std::vector<std::string>& tasks) {
    QStringList list;
    for (const auto& t : tasks) list << QString::fromStdString(t);
    return list.join(QStringLiteral(", "));
}
QString entryName(const ModelEntry& e) {
    if (!e.package.name.empty()) return QString::fromStdString(e.package.name);
    if (!e.package.id.empty()) return QString::fromStdString(e.package.id);
    return QString::fromStdString(e.manifest.parent_path().filename().string());
}
// The problem itself: the Folder column already names the package's folder,
// which most messages start with ("/models/x/model.json: field 'id' …").
QString statusText(const ModelEntry& e) {
    QString error = QString::fromStdString(e.error);
    const QString manifest = QString::fromStdString(e.manifest.string()) + QStringLiteral(": ");
    if (error.startsWith(manifest)) error.remove(0, manifest.size());
    return error;
}
}  // namespace

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_entries.size())) return {};
    const ModelEntry& e = m_entries[std::size_t(index.row())];
    switch (role) {
        case ModelIdRole: return QString::fromStdString(e.package.id);
        case ValidRole: return e.valid;
        case ErrorRole: return QString::fromStdString(e.error);
        case Qt::ForegroundRole:
            return e.valid ? QVariant() : QVariant(QColor(0xe5, 0x48, 0x4d));
        case Qt::ToolTipRole:
            if (!e.valid) return QString::fromStdString(e.error);
            if (!e.package.description.empty()) return QString::fromStdString(e.package.description);
            return QString::fromStdString(e.manifest.string());
        case Qt::DisplayRole: break;
        default: return {};
    }
    switch (index.column()) {
        case NameColumn: return entryName(e);
        case IdColumn: return QString::fromStdString(e.package.id);
        case FamilyColumn: return QString::fromStdString(e.package.family);
        case TasksColumn: return joinTasks(e.package.tasks);
        case SourceColumn: return QString::fromStdString(e.manifest.parent_path().string());
        case StatusColumn: return e.valid ? tr("OK") : statusText(e);
        default: return {};
    }
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case NameColumn: return tr("Name");
        case IdColumn: return tr("Id");
        case FamilyColumn: return tr("Family");
        case TasksColumn: return tr("Tasks");
        case SourceColumn: return tr("Folder");
        case StatusColumn: return tr("Status");
        default: return {};
    }
}

void ModelListModel::setEntries(std::vector<ModelEntry> entries) {
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

std::vector<ModelPackage> ModelListModel::validFor(const QString& modality) const {
    std::vector<ModelPackage> out;
    const std::string m = modality.toStdString();
    for (const ModelEntry& e : m_entries) {
        if (!e.valid) continue;
        for (const auto& task : e.package.tasks) {
            if (taskModality(task) == m) {
                out.push_back(e.package);
                break;
            }
        }
    }
    return out;
}

const ModelPackage* ModelListModel::findValid(const QString& id) const {
    const std::string key = id.toStdString();
    for (const ModelEntry& e : m_entries)
        if (e.valid && e.package.id == key) return &e.package;
    return nullptr;
}

}  // namespace latent
