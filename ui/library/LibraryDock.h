#pragma once
// The results library (DESIGN §5): every result the engine kept, across
// modalities, as a grid of tiles newest first, with search (prompts, tags,
// model ids; as you type) and filters (modality, model, favourites, date).
// Per result: Use settings (double-click: back into its panel), Open,
// Export…, Reveal in folder, Favourite, Tags…, Rating and Delete (to the trash, undoable
// with Ctrl+Z here or the banner's Undo). When recording is off the dock
// says why; generation goes on regardless.
#include <QDockWidget>

#include <cstdint>
#include <functional>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;
class QTimer;
class QToolButton;
class QUndoStack;

namespace latent {

class MessageBanner;
class ResultLibrary;
class ResultListModel;
class Studio;
struct ResultQuery;
struct ResultRecord;

class LibraryDock : public QDockWidget {
    Q_OBJECT
public:
    // Date filter choices, in the combo's order.
    enum class Since { Any = 0, Today, ThisWeek, ThisMonth };

    explicit LibraryDock(Studio& studio, QWidget* parent = nullptr);
    ~LibraryDock() override;

    ResultListModel* model() const { return m_model; }
    QListView* view() const { return m_view; }
    QLineEdit* searchBox() const { return m_search; }
    QComboBox* modalityFilter() const { return m_modality; }
    QComboBox* modelFilter() const { return m_modelFilter; }
    QComboBox* dateFilter() const { return m_date; }
    QToolButton* favouritesToggle() const { return m_favouritesOnly; }
    QUndoStack* undoStack() const { return m_undo; }
    MessageBanner* banner() const { return m_banner; }
    // What the dock shows instead of the grid (recording off, starting…); empty while the grid shows.
    QString messageText() const;

    // Ids of the selected results, in grid order.
    std::vector<std::int64_t> selectedIds() const;
    void select(std::int64_t id);

    // Copies result `id`'s file to `target` (a file; for a result of several
    // files, a folder they go into). False with a reason in `error`.
    bool exportTo(std::int64_t id, const QString& target, QString* error = nullptr);

    // The filter the widgets describe, dates resolved against now.
    ResultQuery currentQuery() const;
    static std::int64_t sinceMs(Since since);

public Q_SLOTS:
    // Applies the search box and filters now (rather than after the debounce).
    void applyFilter();
    // Lists the library afresh (after something else changed it: pruning).
    void refresh();
    void useSettingsOfSelected();
    void openSelected();
    void exportSelected();
    void revealSelected();
    void toggleFavouriteOfSelected();
    // Asks for tags (comma-separated) and gives them to every selected result.
    void editTagsOfSelected();
    // Tags and ratings (0: none … 5) of every selected result; false with a
    // message in the banner when the library refused.
    bool setTagsOfSelected(const QStringList& tags);
    bool setRatingOfSelected(int rating);
    void deleteSelected();
    void emptyTrash();

Q_SIGNALS:
    // "Use settings": MainWindow loads the result into its panel.
    void useSettingsRequested(qint64 resultId);

private:
    QWidget* buildFilters();
    QWidget* buildButtons();
    void buildActions();
    void attach();
    void onResultRecorded(qint64 jobId, qint64 resultId, const QString& error);
    void refreshModelFilter();
    void updatePage();
    void updateActions();
    void updateSummary();
    void showMessage(const QString& text);
    void showContextMenu(const QPoint& pos);
    const ResultRecord* currentRecord() const;
    // Applies `change` to every selected result and refreshes its tile; a
    // failure shows in the banner ("Could not change the <what>: …").
    bool changeSelected(const QString& what, const std::function<void(ResultLibrary&, std::int64_t)>& change);

    Studio& m_studio;
    ResultListModel* m_model;
    QStackedWidget* m_pages = nullptr;
    QListView* m_view = nullptr;
    QWidget* m_filters = nullptr;
    QLabel* m_message = nullptr;
    MessageBanner* m_banner = nullptr;
    QLineEdit* m_search = nullptr;
    QComboBox* m_modality = nullptr;
    QComboBox* m_modelFilter = nullptr;
    QComboBox* m_date = nullptr;
    QToolButton* m_favouritesOnly = nullptr;
    QTimer* m_debounce = nullptr;
    QUndoStack* m_undo = nullptr;
    bool m_undoBanner = false;  // the banner offers to undo the last delete

    QAction* m_useSettings = nullptr;
    QAction* m_open = nullptr;
    QAction* m_export = nullptr;
    QAction* m_reveal = nullptr;
    QAction* m_favourite = nullptr;
    QAction* m_tags = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_emptyTrash = nullptr;
};

}  // namespace latent
