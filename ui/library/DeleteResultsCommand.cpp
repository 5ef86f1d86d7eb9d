#include "library/DeleteResultsCommand.h"

#include <QCoreApplication>

#include <spdlog/spdlog.h>

#include "latent/library/ResultLibrary.h"
#include "library/ResultListModel.h"

namespace latent {

DeleteResultsCommand::DeleteResultsCommand(ResultListModel& model, std::vector<std::int64_t> ids, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_ids(std::move(ids)) {
    setText(QCoreApplication::translate("latent::DeleteResultsCommand", "Delete %n result(s)", nullptr,
                                        int(m_ids.size())));
}

void DeleteResultsCommand::redo() {
    m_error.clear();
    ResultLibrary* library = m_model.library();
    if (!library) return;
    for (const std::int64_t id : m_ids) {
        try {
            library->trash(id);
            m_model.removeRow(id);
        } catch (const std::exception& e) {
            m_error = QString::fromUtf8(e.what());
            spdlog::error("Results library: cannot delete result {}: {}", id, e.what());
        }
    }
}

void DeleteResultsCommand::undo() {
    m_error.clear();
    ResultLibrary* library = m_model.library();
    if (!library) return;
    for (const std::int64_t id : m_ids) {
        try {
            library->restore(id);
        } catch (const std::exception& e) {
            m_error = QString::fromUtf8(e.what());
            spdlog::error("Results library: cannot restore result {}: {}", id, e.what());
        }
    }
    // Restored rows go back to where their dates put them.
    m_model.reload();
}

}  // namespace latent
