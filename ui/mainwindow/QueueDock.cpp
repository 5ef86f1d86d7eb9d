#include "mainwindow/QueueDock.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "app/Studio.h"
#include "latent/qt/EngineBridge.h"
#include "models/JobListModel.h"
#include "widgets/MessageBanner.h"
#include "widgets/ProgressBarDelegate.h"

namespace latent {

QueueDock::QueueDock(Studio& studio, QWidget* parent) : QDockWidget(tr("Queue"), parent), m_studio(studio) {
    setObjectName(QStringLiteral("queueDock"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(6);
    m_banner = new MessageBanner(body);
    layout->addWidget(m_banner);

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
    // Queued rows drag into a new order (the model asks the engine); a drop
    // lands between rows, never on one.
    m_view->setDragEnabled(true);
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_view->setDragDropOverwriteMode(false);
    m_view->setDefaultDropAction(Qt::MoveAction);
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
    m_pause = new QPushButton(body);
    m_pause->setObjectName(QStringLiteral("pauseQueue"));
    m_cancel = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("Cancel"), body);
    m_cancel->setObjectName(QStringLiteral("cancelSelected"));
    m_cancel->setToolTip(tr("Cancel the selected jobs"));
    m_cancelAll = new QPushButton(tr("Cancel all"), body);
    m_cancelAll->setObjectName(QStringLiteral("cancelAll"));
    m_clear = new QPushButton(tr("Clear finished"), body);
    m_state = new QLabel(body);
    m_state->setObjectName(QStringLiteral("queueState"));
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_cancelAll);
    buttons->addSpacing(8);
    buttons->addWidget(m_state);
    buttons->addStretch(1);
    buttons->addWidget(m_clear);
    layout->addLayout(buttons);
    setWidget(body);

    connect(m_pause, &QPushButton::clicked, this, &QueueDock::togglePaused);
    connect(m_cancel, &QPushButton::clicked, this, &QueueDock::cancelSelected);
    connect(m_cancelAll, &QPushButton::clicked, this, &QueueDock::cancelAll);
    connect(m_clear, &QPushButton::clicked, studio.jobs(), &JobListModel::clearEnded);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::dataChanged, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::rowsInserted, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::modelReset, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &QAbstractItemModel::rowsRemoved, this, &QueueDock::updateButtons);
    connect(studio.jobs(), &JobListModel::queueStateChanged, this, &QueueDock::updateButtons);
    connect(&studio, &Studio::engineStarted, this, &QueueDock::updateButtons);
    connect(&studio, &Studio::queueRestored, this, &QueueDock::showRestored);
    // New jobs scroll into view.
    connect(studio.jobs(), &QAbstractItemModel::rowsInserted, m_view, [this] { m_view->scrollToBottom(); });
    updateButtons();
    // Restored before this window existed (the engine started first).
    if (studio.restoredJobs() > 0 && studio.jobs()->isPaused()) showRestored(studio.restoredJobs());
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

void QueueDock::togglePaused() {
    if (!m_studio.bridge()) return;
    m_studio.bridge()->setPaused(!m_studio.bridge()->isPaused());
}

QString QueueDock::restoredText(int jobs) {
    // Spelled out: without a loaded translation, %n would read "job(s)".
    return jobs == 1 ? tr("1 queued job restored from the last session — the queue is paused: Resume to run it.")
                     : tr("%1 queued jobs restored from the last session — the queue is paused: Resume to run them.")
                           .arg(jobs);
}

void QueueDock::showRestored(int jobs) {
    if (jobs <= 0) return;
    m_banner->showMessage(MessageBanner::Kind::Info, restoredText(jobs),
                          tr("Resume"), [this] {
                              if (m_studio.bridge()) m_studio.bridge()->setPaused(false);
                          });
}

void QueueDock::updateQueueState() {
    const bool paused = m_studio.jobs()->isPaused();
    m_pause->setEnabled(m_studio.bridge() != nullptr);
    if (m_shownPaused != int(paused)) {
        m_shownPaused = int(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        m_pause->setIcon(QIcon(paused ? QStringLiteral(":/icons/generate.svg") : QStringLiteral(":/icons/pause.svg")));
        m_pause->setToolTip(paused ? tr("Run the queued jobs again")
                                   : tr("Hold the queue: the running job finishes, the next ones wait"));
    }
    int queued = 0;
    const JobListModel* jobs = m_studio.jobs();
    for (int r = 0; r < jobs->rowCount(); ++r) queued += jobs->state(jobs->jobAt(r)) == JobState::Queued ? 1 : 0;
    QString text;
    if (paused) text = queued > 0 ? tr("Paused · %n queued", nullptr, queued) : tr("Paused");
    else if (queued > 0) text = tr("%n queued", nullptr, queued);
    m_state->setText(text);
    // Resumed some other way (the button, the menu): the restore notice is done.
    if (!paused && m_banner->text().contains(tr("restored from the last session"))) m_banner->dismiss();
}

void QueueDock::updateButtons() {
    updateQueueState();
    bool anySelectedActive = false;
    for (const QModelIndex& idx : m_view->selectionModel()->selectedRows()) {
        const auto state = JobState(idx.data(JobListModel::StateRole).toInt());
        anySelectedActive = anySelectedActive || !isTerminal(state);
    }
    m_cancel->setEnabled(anySelectedActive);
    m_cancelAll->setEnabled(m_studio.jobs()->activeCount() > 0);
}

}  // namespace latent
