#pragma once
// Deleting results from the library dock, undoably: redo moves them to the
// library's trash (their files stay on disk), undo restores them. Only
// "Empty trash" (or the size cap's pruning) removes files for good.
#include <QUndoCommand>

#include <cstdint>
#include <vector>

namespace latent {

class ResultListModel;

class DeleteResultsCommand : public QUndoCommand {
public:
    DeleteResultsCommand(ResultListModel& model, std::vector<std::int64_t> ids, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;
    const std::vector<std::int64_t>& ids() const { return m_ids; }
    // Why the last undo or redo did not go through; empty when it did.
    const QString& error() const { return m_error; }

private:
    ResultListModel& m_model;
    std::vector<std::int64_t> m_ids;
    QString m_error;
};

}  // namespace latent
