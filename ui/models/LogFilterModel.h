#pragma once
#include <QSortFilterProxyModel>

namespace latent {

// Shows log lines at or above a minimum level.
class LogFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LogFilterModel(QObject* parent = nullptr);
    int minimumLevel() const { return m_minimumLevel; }
    void setMinimumLevel(int level);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_minimumLevel = 0;
};

}  // namespace latent
