#pragma once
// An undoable change of the panel's seed (typed, rolled with the dice, or
// restored from a file). Typing merges into one step; each roll is its own.
#include <QUndoCommand>

#include <cstdint>

namespace latent {

class ImagePanel;

class SeedChangeCommand : public QUndoCommand {
public:
    static constexpr int kTypingMergeId = 0x5343;  // "SC"

    SeedChangeCommand(ImagePanel& panel, std::uint64_t before, std::uint64_t after, bool typing,
                      QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;
    int id() const override { return m_typing ? kTypingMergeId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

    std::uint64_t before() const { return m_before; }
    std::uint64_t after() const { return m_after; }

private:
    ImagePanel& m_panel;
    std::uint64_t m_before;
    std::uint64_t m_after;
    bool m_typing;
};

}  // namespace latent
