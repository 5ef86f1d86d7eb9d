#pragma once
// The results library as the GUI lists it: ResultRecords newest first, for
// the current filter (search words, modality, model, favourites, dates).
// Rows arrive a page at a time (canFetchMore/fetchMore, so a library of ten
// thousand results opens as fast as one of ten), and what a tile shows (its
// thumbnail, a text's first lines, whether its files still exist) is read
// only when a view first asks for it, then cached.
#include <QAbstractListModel>
#include <QCache>
#include <QImage>

#include <optional>
#include <vector>

#include "latent/library/ResultLibrary.h"

namespace latent {

class ResultListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ModalityRole,   // "image", "text", …
        ModelRole,
        PromptRole,
        SeedRole,
        CreatedRole,    // QDateTime, local time
        FavouriteRole,
        MissingRole,    // true when a file the result lists is gone
        TextPreviewRole,  // a text result's first lines
        ThumbnailRole,  // QImage, null when none (or missing)
    };
    static constexpr int kPageSize = 200;

    explicit ResultListModel(QObject* parent = nullptr);

    // The library to list (null: none, the model is empty). Not owned: the
    // engine keeps it as long as it runs.
    void setLibrary(ResultLibrary* library);
    ResultLibrary* library() const { return m_library; }

    // The filter; limit and offset are the model's own. Reloads.
    void setQuery(const ResultQuery& query);
    const ResultQuery& query() const { return m_query; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    const ResultRecord* record(int row) const;
    const ResultRecord* recordById(std::int64_t id) const;
    int rowOf(std::int64_t id) const;  // -1 when not listed
    // Absolute paths of a result's files (whether they exist or not).
    QStringList filePaths(const ResultRecord& record) const;
    bool isMissing(int row) const;

    // Runs the query again from the top, keeping at least as many rows as
    // are loaded now (after a restore, so the restored one finds its place).
    void reload();
    // A new result was recorded: newer rows matching the filter go on top,
    // leaving the rows (and the view's selection and scrolling) alone.
    void addNewer();
    // The row of `id` shows the library's current state of it (favourite…).
    void refreshRow(std::int64_t id);
    // The row of `id` goes (it was trashed); false when it was not listed.
    bool removeRow(std::int64_t id);

Q_SIGNALS:
    // The library could not be read (the row list stays as it was).
    void queryFailed(const QString& message);

private:
    struct Row {
        ResultRecord record;
        // Filled when a view first asks: a stat() per file, a small read.
        mutable std::optional<bool> missing;
        mutable std::optional<QString> preview;
    };
    std::vector<ResultRecord> fetch(int offset, int limit);
    void load(int count);  // the first `count` rows, from scratch
    QImage thumbnail(const Row& row) const;
    QString preview(const Row& row) const;
    bool missing(const Row& row) const;
    QString toolTip(const Row& row) const;

    ResultLibrary* m_library = nullptr;
    ResultQuery m_query;
    std::vector<Row> m_rows;
    bool m_hasMore = false;
    // Decoded thumbnails by result id, at most about 24 MB of them (cost in KB).
    mutable QCache<std::int64_t, QImage> m_thumbnails{24 * 1024};
};

}  // namespace latent
