// LibraryDock, continued: the selection, and what the buttons and the
// context menu do to the selected results.
#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QUndoStack>
#include <QUrl>

#include <functional>

#include <spdlog/spdlog.h>

#include "app/Studio.h"
#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/library/ResultLibrary.h"
#include "library/DeleteResultsCommand.h"
#include "library/LibraryDock.h"
#include "library/ResultListModel.h"
#include "widgets/MessageBanner.h"

namespace latent {
namespace {

// "fashion-vae-1234.png", "…-2.png" for the other images of a batch.
QString exportName(const ResultRecord& r, int index, const QString& source) {
    const QString suffix = QFileInfo(source).suffix();
    QString name = QStringLiteral("%1-%2").arg(QString::fromStdString(r.modelId)).arg(r.seed);
    if (index > 0) name += QStringLiteral("-%1").arg(index + 1);
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    return suffix.isEmpty() ? name : name + QLatin1Char('.') + suffix;
}

// The engine's atomic writer, as every export uses it. The user chose the
// target in a dialog that asked before replacing it, so a symlink means its
// target; a read-only file or a missing folder is still refused.
bool copyAtomically(const QString& source, const QString& target, QString* error) {
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("%1 cannot be read: %2").arg(source, in.errorString());
        return false;
    }
    const QByteArray bytes = in.readAll();
    try {
        writeFileAtomic(target.toStdString(), std::string_view(bytes.constData(), std::size_t(bytes.size())),
                        {.followSymlink = true});
        return true;
    } catch (const Error& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

}  // namespace

// ---------------------------------------------------------------------------
// The selection

std::vector<std::int64_t> LibraryDock::selectedIds() const {
    QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    std::vector<std::int64_t> ids;
    for (const QModelIndex& i : rows) ids.push_back(i.data(ResultListModel::IdRole).toLongLong());
    // The focused tile when nothing is selected (a right-click on it).
    if (ids.empty() && m_view->currentIndex().isValid())
        ids.push_back(m_view->currentIndex().data(ResultListModel::IdRole).toLongLong());
    return ids;
}

void LibraryDock::select(std::int64_t id) {
    const int row = m_model->rowOf(id);
    if (row < 0) return;
    const QModelIndex index = m_model->index(row);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(index);
}

const ResultRecord* LibraryDock::currentRecord() const {
    const auto ids = selectedIds();
    return ids.empty() ? nullptr : m_model->recordById(ids.front());
}

void LibraryDock::updateActions() {
    const auto ids = selectedIds();
    const bool one = !ids.empty();
    const bool present = one && !m_model->isMissing(m_model->rowOf(ids.front()));
    m_useSettings->setEnabled(one);
    m_open->setEnabled(present);
    m_export->setEnabled(present);
    m_reveal->setEnabled(present);
    m_favourite->setEnabled(one);
    m_tags->setEnabled(one);
    m_delete->setEnabled(one);
    const ResultRecord* r = currentRecord();
    m_favourite->setChecked(r && r->favourite);
    m_emptyTrash->setEnabled(m_model->library() != nullptr);
}

void LibraryDock::showContextMenu(const QPoint& pos) {
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid()) return;
    if (!m_view->selectionModel()->isSelected(index))
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    updateActions();
    QMenu menu(this);
    menu.addAction(m_useSettings);
    menu.addAction(m_open);
    menu.addAction(m_export);
    menu.addAction(m_reveal);
    menu.addSeparator();
    menu.addAction(m_favourite);
    menu.addAction(m_tags);
    QMenu* rating = menu.addMenu(tr("Rating"));
    const ResultRecord* current = currentRecord();
    for (int stars = 0; stars <= 5; ++stars) {
        QAction* a = rating->addAction(stars == 0 ? tr("No rating") : QString(stars, QChar(0x2605)));
        a->setCheckable(true);
        a->setChecked(current && current->rating == stars);
        connect(a, &QAction::triggered, this, [this, stars] { setRatingOfSelected(stars); });
    }
    rating->setEnabled(m_tags->isEnabled());
    menu.addAction(m_delete);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

// ---------------------------------------------------------------------------
// What to do with it

void LibraryDock::useSettingsOfSelected() {
    const ResultRecord* r = currentRecord();
    if (r) Q_EMIT useSettingsRequested(r->id);
}

void LibraryDock::openSelected() {
    const ResultRecord* r = currentRecord();
    if (!r) return;
    const QStringList files = m_model->filePaths(*r);
    if (files.isEmpty() || !QFileInfo::exists(files.front())) {
        m_banner->showError(tr("The files of this result are missing (deleted or moved outside the studio)."));
        return;
    }
    // One viewer, not one per image of a batch.
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(files.front())))
        m_banner->showError(tr("No application opens %1.").arg(files.front()));
}

void LibraryDock::revealSelected() {
    const ResultRecord* r = currentRecord();
    if (!r) return;
    const QStringList files = m_model->filePaths(*r);
    if (files.isEmpty()) return;
    // The folder opens in the file manager; selecting the file in it would
    // need each desktop's own D-Bus interface.
    const QString dir = QFileInfo(files.front()).absolutePath();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(dir))) m_banner->showError(tr("Cannot open %1.").arg(dir));
}

bool LibraryDock::exportTo(std::int64_t id, const QString& target, QString* error) {
    QString why;
    if (!error) error = &why;
    const ResultRecord* r = m_model->recordById(id);
    std::optional<ResultRecord> fetched;
    if (!r && m_model->library()) {
        fetched = m_model->library()->get(id);
        r = fetched ? &*fetched : nullptr;
    }
    if (!r) {
        *error = tr("Result %1 is not in the library.").arg(id);
        return false;
    }
    const QStringList files = m_model->filePaths(*r);
    for (const QString& f : files)
        if (!QFileInfo::exists(f)) {
            *error = tr("The files of this result are missing (deleted or moved outside the studio).");
            return false;
        }
    if (files.size() == 1) return copyAtomically(files.front(), target, error);
    // Several files (a batch) go into a folder, never over files already there.
    const QDir dir(target);
    if (!dir.exists()) {
        *error = tr("%1 is not a folder.").arg(target);
        return false;
    }
    for (int i = 0; i < files.size(); ++i) {
        const QString to = dir.filePath(exportName(*r, i, files[i]));
        if (QFileInfo::exists(to)) {
            *error = tr("%1 exists already; nothing after it was exported.").arg(to);
            return false;
        }
        if (!copyAtomically(files[i], to, error)) return false;
    }
    return true;
}

void LibraryDock::exportSelected() {
    const ResultRecord* r = currentRecord();
    if (!r) return;
    const std::int64_t id = r->id;
    const QStringList files = m_model->filePaths(*r);
    if (files.isEmpty()) return;
    QSettings& s = m_studio.settings().store();
    QString dir = s.value(QStringLiteral("paths/lastSaveDir")).toString();
    if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    QString target;
    if (files.size() == 1) {
        const QString suffix = QFileInfo(files.front()).suffix();
        target = QFileDialog::getSaveFileName(this, tr("Export result"), QDir(dir).filePath(exportName(*r, 0, files.front())),
                                              suffix.isEmpty() ? QString() : QStringLiteral("*.") + suffix);
        if (target.isEmpty()) return;
        s.setValue(QStringLiteral("paths/lastSaveDir"), QFileInfo(target).absolutePath());
    } else {
        target = QFileDialog::getExistingDirectory(this, tr("Export the %1 files of this result into").arg(files.size()),
                                                   dir);
        if (target.isEmpty()) return;
        s.setValue(QStringLiteral("paths/lastSaveDir"), target);
    }
    QString error;
    if (!exportTo(id, target, &error)) {
        spdlog::error("Export result {}: {}", id, error.toStdString());
        m_banner->showError(tr("Could not export: %1").arg(error));
        return;
    }
    m_banner->showMessage(MessageBanner::Kind::Info, tr("Exported to %1").arg(target));
}

void LibraryDock::toggleFavouriteOfSelected() {
    ResultLibrary* library = m_model->library();
    const auto ids = selectedIds();
    if (!library || ids.empty()) return;
    // Several selected: all become favourites unless all were already.
    bool all = true;
    for (const auto id : ids)
        if (const ResultRecord* r = m_model->recordById(id)) all = all && r->favourite;
    const bool favourite = !all;
    try {
        for (const auto id : ids) {
            library->setFavourite(id, favourite);
            if (!favourite && m_model->query().favouritesOnly) m_model->removeRow(id);
            else m_model->refreshRow(id);
        }
    } catch (const std::exception& e) {
        m_banner->showError(tr("Could not change the favourites: %1").arg(QString::fromUtf8(e.what())));
    }
    updateActions();
}

void LibraryDock::editTagsOfSelected() {
    const ResultRecord* current = currentRecord();
    if (!current || !m_model->library()) return;
    QStringList have;
    for (const auto& t : current->tags) have << QString::fromStdString(t);
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Tags"), tr("Tags, separated by commas:"), QLineEdit::Normal,
                                               have.join(QStringLiteral(", ")), &ok);
    if (!ok) return;
    QStringList tags;
    for (const QString& t : text.split(QLatin1Char(','))) {
        const QString tag = t.simplified();
        if (!tag.isEmpty() && !tags.contains(tag)) tags << tag;
    }
    setTagsOfSelected(tags);
}

bool LibraryDock::changeSelected(const QString& what, const std::function<void(ResultLibrary&, std::int64_t)>& change) {
    ResultLibrary* library = m_model->library();
    const auto ids = selectedIds();
    if (!library || ids.empty()) return false;
    try {
        for (const auto id : ids) {
            change(*library, id);
            m_model->refreshRow(id);
        }
    } catch (const std::exception& e) {
        m_banner->showError(tr("Could not change the %1: %2").arg(what, QString::fromUtf8(e.what())));
        return false;
    }
    return true;
}

bool LibraryDock::setTagsOfSelected(const QStringList& tags) {
    std::vector<std::string> values;
    for (const QString& t : tags) values.push_back(t.toStdString());
    return changeSelected(tr("tags"), [&](ResultLibrary& library, std::int64_t id) { library.setTags(id, values); });
}

bool LibraryDock::setRatingOfSelected(int rating) {
    return changeSelected(tr("rating"), [&](ResultLibrary& library, std::int64_t id) { library.setRating(id, rating); });
}

void LibraryDock::deleteSelected() {
    const auto ids = selectedIds();
    if (ids.empty() || !m_model->library()) return;
    auto* command = new DeleteResultsCommand(*m_model, ids);
    m_undo->push(command);  // runs redo(): to the trash
    if (!command->error().isEmpty()) {
        m_banner->showError(tr("Could not delete: %1").arg(command->error()));
        return;
    }
    updateSummary();
    const QString text = ids.size() == 1 ? tr("Deleted 1 result.") : tr("Deleted %1 results.").arg(ids.size());
    m_banner->showMessage(MessageBanner::Kind::Info, text, tr("Undo"), [this] { m_undo->undo(); });
    m_undoBanner = true;
}

void LibraryDock::emptyTrash() {
    ResultLibrary* library = m_model->library();
    if (!library) return;
    try {
        const auto count = library->count(/*trashed=*/true);
        if (count == 0) {
            m_banner->showMessage(MessageBanner::Kind::Info, tr("The trash is empty."));
            return;
        }
        // The one step that cannot be undone asks first.
        if (QMessageBox::question(this, tr("Empty trash"),
                                  tr("Remove the %n deleted result(s) and their files for good?", nullptr, int(count))) !=
            QMessageBox::Yes)
            return;
        ResultQuery q;
        q.trashed = true;
        q.limit = int(count);
        for (const ResultRecord& r : library->query(q)) library->purge(r.id);
        m_undo->clear();  // the deletions there were to undo are gone for good
        m_banner->showMessage(MessageBanner::Kind::Info, tr("Removed %n result(s) for good.", nullptr, int(count)));
    } catch (const std::exception& e) {
        m_banner->showError(tr("Could not empty the trash: %1").arg(QString::fromUtf8(e.what())));
    }
    updateSummary();
}

}  // namespace latent
