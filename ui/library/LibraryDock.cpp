#include "library/LibraryDock.h"

#include <QAction>
#include <QComboBox>
#include <QDate>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include "app/Studio.h"
#include "latent/Engine.h"
#include "latent/library/ResultLibrary.h"
#include "latent/qt/EngineBridge.h"
#include "library/ResultListModel.h"
#include "library/ResultTileDelegate.h"
#include "widgets/MessageBanner.h"

namespace latent {

namespace {

constexpr int kSearchDebounceMs = 200;  // one query per pause in typing, not per key

// An outline when off, filled when on: a checked star reads "favourite".
QIcon starIcon() {
    QIcon icon;
    icon.addFile(QStringLiteral(":/icons/star-outline.svg"), {}, QIcon::Normal, QIcon::Off);
    icon.addFile(QStringLiteral(":/icons/star.svg"), {}, QIcon::Normal, QIcon::On);
    return icon;
}

}  // namespace

LibraryDock::LibraryDock(Studio& studio, QWidget* parent)
    : QDockWidget(tr("Library"), parent), m_studio(studio), m_model(new ResultListModel(this)) {
    setObjectName(QStringLiteral("libraryDock"));
    toggleViewAction()->setIcon(QIcon(QStringLiteral(":/icons/library.svg")));
    toggleViewAction()->setToolTip(tr("Show every result kept so far: search it, reuse its settings"));
    m_undo = new QUndoStack(this);

    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(6);
    m_filters = buildFilters();
    layout->addWidget(m_filters);
    m_banner = new MessageBanner(body);
    layout->addWidget(m_banner);

    m_pages = new QStackedWidget(body);
    m_view = new QListView(m_pages);
    m_view->setObjectName(QStringLiteral("libraryView"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setMovement(QListView::Static);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setWrapping(true);
    m_view->setUniformItemSizes(true);  // one size for every tile: no per-row size queries
    m_view->setSpacing(2);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setMouseTracking(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setItemDelegate(new ResultTileDelegate(m_view));
    m_view->setModel(m_model);
    m_pages->addWidget(m_view);
    m_message = new QLabel(m_pages);
    m_message->setObjectName(QStringLiteral("libraryMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(16);
    m_pages->addWidget(m_message);
    layout->addWidget(m_pages, 1);

    buildActions();
    layout->addWidget(buildButtons());
    setWidget(body);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kSearchDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &LibraryDock::applyFilter);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &LibraryDock::applyFilter);
    for (QComboBox* c : {m_modality, m_modelFilter, m_date})
        connect(c, &QComboBox::currentIndexChanged, this, &LibraryDock::applyFilter);
    connect(m_favouritesOnly, &QToolButton::toggled, this, &LibraryDock::applyFilter);

    connect(m_view, &QListView::activated, this, &LibraryDock::useSettingsOfSelected);
    connect(m_view, &QListView::customContextMenuRequested, this, &LibraryDock::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LibraryDock::updateActions);
    auto changed = [this] {
        updatePage();
        updateActions();
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, changed);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, changed);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &LibraryDock::updateActions);
    connect(m_model, &ResultListModel::queryFailed, this, [this](const QString& message) {
        m_banner->showError(tr("Cannot read the results library: %1").arg(message));
    });

    // Undone or redone (Ctrl+Z here, or the banner's Undo): the banner's offer is spent.
    connect(m_undo, &QUndoStack::indexChanged, this, [this] {
        if (m_undoBanner) m_banner->dismiss();
        m_undoBanner = false;
        updateSummary();
    });
    connect(&studio, &Studio::engineStarted, this, &LibraryDock::attach);
    connect(&studio, &Studio::engineFailed, this, &LibraryDock::updatePage);
    if (studio.isReady()) attach();
    updatePage();
    updateActions();
}

LibraryDock::~LibraryDock() = default;

QWidget* LibraryDock::buildFilters() {
    auto* box = new QWidget(this);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(4);
    m_search = new QLineEdit(box);
    m_search->setObjectName(QStringLiteral("librarySearch"));
    m_search->setPlaceholderText(tr("Search prompts, tags and models"));
    m_search->setToolTip(tr("Every word must match the start of a word in a result's prompt, tags or model id"));
    m_search->setClearButtonEnabled(true);
    v->addWidget(m_search);

    auto* row = new QHBoxLayout;
    row->setSpacing(4);
    m_modality = new QComboBox(box);
    m_modality->setObjectName(QStringLiteral("libraryModality"));
    m_modality->addItem(tr("All kinds"), QString());
    m_modality->addItem(QIcon(QStringLiteral(":/icons/image.svg")), tr("Images"), QStringLiteral("image"));
    m_modality->addItem(QIcon(QStringLiteral(":/icons/text.svg")), tr("Texts"), QStringLiteral("text"));
    m_modelFilter = new QComboBox(box);
    m_modelFilter->setObjectName(QStringLiteral("libraryModel"));
    m_modelFilter->addItem(tr("All models"), QString());

    m_date = new QComboBox(box);
    m_date->setObjectName(QStringLiteral("libraryDate"));
    m_date->addItem(tr("Any time"), int(Since::Any));
    m_date->addItem(tr("Today"), int(Since::Today));
    m_date->addItem(tr("This week"), int(Since::ThisWeek));
    m_date->addItem(tr("This month"), int(Since::ThisMonth));
    m_favouritesOnly = new QToolButton(box);
    m_favouritesOnly->setObjectName(QStringLiteral("libraryFavourites"));
    m_favouritesOnly->setCheckable(true);
    m_favouritesOnly->setIcon(starIcon());
    m_favouritesOnly->setToolTip(tr("Favourites only"));
    // The combos shrink with the dock (to a few letters) rather than widen it.
    for (QComboBox* c : {m_modality, m_modelFilter, m_date}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(4);
    }
    row->addWidget(m_modality);
    row->addWidget(m_modelFilter, 1);
    row->addWidget(m_date);
    row->addWidget(m_favouritesOnly);
    v->addLayout(row);
    return box;
}

void LibraryDock::buildActions() {
    auto action = [this](const QString& icon, const QString& text, const QString& name, auto slot) {
        auto* a = new QAction(icon.isEmpty() ? QIcon() : QIcon(QStringLiteral(":/icons/") + icon + QStringLiteral(".svg")),
                              text, this);
        a->setObjectName(name);
        // Keys act on the grid, not on whatever panel has the focus elsewhere.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_useSettings = action(QStringLiteral("reset"), tr("Use settings"), QStringLiteral("libraryUseSettingsAction"),
                           &LibraryDock::useSettingsOfSelected);
    m_useSettings->setToolTip(tr("Load the model, task, seed, parameters and prompt that made this result into its "
                                 "panel (double-click)"));
    m_open = action(QStringLiteral("open"), tr("Open"), QStringLiteral("libraryOpenAction"), &LibraryDock::openSelected);
    m_open->setToolTip(tr("Open the file in its usual application"));
    m_export = action(QStringLiteral("save"), tr("Export…"), QStringLiteral("libraryExportAction"),
                      &LibraryDock::exportSelected);
    m_export->setToolTip(tr("Save a copy of the file elsewhere"));
    m_reveal = action(QString(), tr("Reveal in folder"), QStringLiteral("libraryRevealAction"),
                      &LibraryDock::revealSelected);
    m_favourite = action(QStringLiteral("star"), tr("Favourite"), QStringLiteral("libraryFavouriteAction"),
                         &LibraryDock::toggleFavouriteOfSelected);
    m_favourite->setCheckable(true);
    m_favourite->setIcon(starIcon());
    m_favourite->setToolTip(tr("Favourites are never pruned by the size cap"));
    m_tags = action(QString(), tr("Tags…"), QStringLiteral("libraryTagsAction"), &LibraryDock::editTagsOfSelected);
    m_tags->setToolTip(tr("Words to find this result by (the search box matches tags as well as prompts)"));
    m_delete = action(QStringLiteral("delete"), tr("Delete"), QStringLiteral("libraryDeleteAction"),
                      &LibraryDock::deleteSelected);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setToolTip(tr("Move to the trash (Del); Ctrl+Z brings it back"));
    m_emptyTrash = action(QString(), tr("Empty trash…"), QStringLiteral("libraryEmptyTrashAction"),
                          &LibraryDock::emptyTrash);
    QAction* undo = m_undo->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(undo);
    QAction* redo = m_undo->createRedoAction(this, tr("Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(redo);
}

QWidget* LibraryDock::buildButtons() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    auto button = [&](QAction* a, const QString& name, bool withText) {
        auto* b = new QToolButton(box);
        b->setObjectName(name);
        b->setDefaultAction(a);
        b->setToolButtonStyle(withText ? Qt::ToolButtonTextBesideIcon : Qt::ToolButtonIconOnly);
        row->addWidget(b);
        return b;
    };
    button(m_useSettings, QStringLiteral("libraryUseSettings"), true);
    button(m_open, QStringLiteral("libraryOpen"), false);
    button(m_export, QStringLiteral("libraryExport"), false);
    button(m_favourite, QStringLiteral("libraryFavourite"), false);
    button(m_delete, QStringLiteral("libraryDelete"), false);
    auto* more = new QToolButton(box);
    more->setObjectName(QStringLiteral("libraryMore"));
    more->setText(QStringLiteral("⋯"));
    more->setToolTip(tr("More"));
    more->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(more);
    menu->addAction(m_reveal);
    menu->addSeparator();
    menu->addAction(m_emptyTrash);
    more->setMenu(menu);
    row->addWidget(more);
    row->addStretch(1);
    return box;
}

void LibraryDock::attach() {
    Engine* engine = m_studio.engine();
    if (!engine || !m_studio.bridge()) return;
    connect(m_studio.bridge(), &EngineBridge::resultRecorded, this, &LibraryDock::onResultRecorded,
            Qt::UniqueConnection);
    m_model->setLibrary(engine->results());  // null: the engine has logged why
    refreshModelFilter();
    updateSummary();
    updatePage();
}

void LibraryDock::onResultRecorded(qint64, qint64 resultId, const QString&) {
    // Errors (disk full…) are the status bar's and the log's to show: one
    // per job, never a dialog. A kept result joins the grid.
    if (resultId <= 0 || !m_model->library()) return;
    m_model->addNewer();
    refreshModelFilter();
    updateSummary();
}

void LibraryDock::refreshModelFilter() {
    ResultLibrary* library = m_model->library();
    if (!library) return;
    std::vector<std::string> ids;
    try {
        ids = library->modelIds();
    } catch (const std::exception& e) {
        spdlog::error("Results library: cannot list its models: {}", e.what());
        return;
    }
    const QString keep = m_modelFilter->currentData().toString();
    const QSignalBlocker block(m_modelFilter);
    while (m_modelFilter->count() > 1) m_modelFilter->removeItem(1);
    for (const std::string& id : ids) m_modelFilter->addItem(QString::fromStdString(id), QString::fromStdString(id));
    // A model whose last result went stays selectable until the filter changes.
    if (!keep.isEmpty() && m_modelFilter->findData(keep) < 0) m_modelFilter->addItem(keep, keep);
    m_modelFilter->setCurrentIndex(std::max(0, m_modelFilter->findData(keep)));
}

std::int64_t LibraryDock::sinceMs(Since since) {
    const QDate today = QDate::currentDate();
    QDate from;
    switch (since) {
        case Since::Any: return 0;
        case Since::Today: from = today; break;
        case Since::ThisWeek: {
            // Calendar weeks, starting on the locale's first day.
            const int first = int(QLocale().firstDayOfWeek());
            from = today.addDays(-((today.dayOfWeek() - first + 7) % 7));
            break;
        }
        case Since::ThisMonth: from = QDate(today.year(), today.month(), 1); break;
    }
    return from.startOfDay().toMSecsSinceEpoch();
}

ResultQuery LibraryDock::currentQuery() const {
    ResultQuery q;
    q.search = m_search->text().trimmed().toStdString();
    q.modality = m_modality->currentData().toString().toStdString();
    q.modelId = m_modelFilter->currentData().toString().toStdString();
    q.favouritesOnly = m_favouritesOnly->isChecked();
    q.sinceMs = sinceMs(Since(m_date->currentData().toInt()));
    return q;
}

void LibraryDock::applyFilter() {
    m_debounce->stop();
    m_model->setQuery(currentQuery());
}

void LibraryDock::refresh() {
    m_model->reload();
    refreshModelFilter();
    updateSummary();
}

void LibraryDock::showMessage(const QString& text) {
    m_message->setText(text);
    m_pages->setCurrentWidget(m_message);
}

QString LibraryDock::messageText() const {
    return m_pages->currentWidget() == m_message ? m_message->text() : QString();
}

void LibraryDock::updatePage() {
    // Nothing to search or act on without a library.
    m_filters->setEnabled(m_model->library() != nullptr);
    if (!m_studio.isReady()) {
        showMessage(m_studio.startError().isEmpty() ? tr("Starting the engine…")
                                                    : tr("The engine could not start, so there is no library."));
        return;
    }
    if (!m_model->library()) {
        const std::string problem = m_studio.engine()->recordingProblem();
        showMessage(problem.empty()
                        ? tr("Results are not recorded: no results folder is set (Settings › Storage).")
                        : tr("Results are not recorded: %1\n\nGeneration works as usual; choose another results "
                             "folder in Settings › Storage and restart to keep them.")
                              .arg(QString::fromStdString(problem)));
        return;
    }
    if (m_model->rowCount() == 0) {
        const ResultQuery q = currentQuery();
        const bool filtered = !q.search.empty() || !q.modality.empty() || !q.modelId.empty() || q.favouritesOnly ||
                              q.sinceMs > 0;
        showMessage(filtered ? tr("No result matches the filter.")
                             : tr("Nothing here yet. Every image, text and sound you generate is kept here, searchable, "
                                  "one double-click away from the settings that made it."));
        return;
    }
    m_pages->setCurrentWidget(m_view);
}

void LibraryDock::updateSummary() {
    // How much there is, where it costs no room: in the empty search box.
    ResultLibrary* library = m_model->library();
    QString text = tr("Search prompts, tags and models");
    if (library) {
        try {
            const auto count = library->count();
            const QString size = QLocale().formattedDataSize(qint64(library->totalBytes()), 1);
            text = count == 1 ? tr("Search 1 result (%1)").arg(size) : tr("Search %1 results (%2)").arg(count).arg(size);
        } catch (const std::exception& e) {
            spdlog::error("Results library: {}", e.what());
        }
    }
    m_search->setPlaceholderText(text);
}

}  // namespace latent
