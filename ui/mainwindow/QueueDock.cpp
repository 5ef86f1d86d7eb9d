#include "mainwindow/QueueDock.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "app/Studio.h"
#include "latent/qt/EngineBridge.h"
#include "models/JobListModel.h"
#include "widgets/ProgressBarDelegate.h"

namespace latent {

QueueDock::QueueDock(Studio& studio, QWidget* parent) : QDockWidget(tr("Queue"), parent), m_studio(studio) {
    setObjectName(QStringLiteral("queueDock"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(6);

    m_view = new QTableView(body);
    m_view->setObjectName(QStringLiteral("queueView"));
    m_view->setModel(studio.jobs());
    m_view->setItemDelegateForColumn(JobListModel::ProgressColumn, new ProgressBarDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(26);
    QHeaderView* h = m_view->horizontalHeader();
    h->setHighlightSections(false);
    h->setSectionResizeMode(JobListModel::LabelColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(JobListModel::ModelColumn, QHeaderView::Interactive);
    h->resizeSection(JobListModel::ModelColumn, 130);
    h->resizeSection(JobListModel::StateColumn, 84);
    h->resizeSection(JobListModel::ProgressColumn, 120);
    h->resizeSection(JobListModel::EtaColumn, 64);
    h->resizeSection(JobListModel::ElapsedColumn, 70);
    layout->addWidget(m_view, 1);

    auto* buttons = new QHBoxLayout;
    m_cancel = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("Cancel"), body);
    m_cancel->setObjectName(QStringLiteral("cancelSelected"));
    m_cancel->setToolTip(tr("Cancel the selected jobs"));
    m_cancelAll = new QPushButton(tr("Cancel all"), body);
    m_cancelAll->setObjectName(QStringLiteral("cancelAll"));
    m_clear = new QPushButton(tr("Clear finished"), body);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_cancelAll);
    buttons->addStretch(1);
    buttons->addWidget(m_clear);
    layout->addLayout(buttons);
    setWidget(body);

    connect(m_cancel, &QPushButton::clicked, this, &QueueDock::cancelSelected);
    connect(m_cancelAll, &QPushButton::clicked, this, &QueueDock::cancelAll);
    connect(m_clear, &QPushButton::clicked, studio.jobs(), &JobListModel::clearEnded);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::dataChanged, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::rowsInserted, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::modelReset, this, &QueueDock::updateButtons);
    // New jobs scroll into view.
    connect(studio.jobs(), &QAbstractItemModel::rowsInserted, m_view, [this] { m_view->scrollToBottom(); });
    updateButtons();
}

void QueueDock::cancelSelected() {
    if (!m_studio.bridge()) return;
    const auto rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex& idx : rows) {
        const JobId id = idx.data(JobListModel::JobIdRole).toULongLong();
        if (id != 0 && !isTerminal(m_studio.jobs()->state(id))) m_studio.bridge()->cancel(id);
    }
}

void QueueDock::cancelAll() {
    if (m_studio.bridge()) m_studio.bridge()->cancelAll();
}

void QueueDock::updateButtons() {
    bool anySelectedActive = false;
    for (const QModelIndex& idx : m_view->selectionModel()->selectedRows()) {
        const auto state = JobState(idx.data(JobListModel::StateRole).toInt());
        anySelectedActive = anySelectedActive || !isTerminal(state);
    }
    m_cancel->setEnabled(anySelectedActive);
    m_cancelAll->setEnabled(m_studio.jobs()->activeCount() > 0);
}

}  // namespace latent
