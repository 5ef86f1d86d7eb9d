#pragma once
// The Undo and Redo actions of a panel's QUndoStack, as the latent editors
// use them: icon buttons with fixed texts (the step to undo goes in the
// tooltip, so a long step name never widens the dock showing the buttons),
// Ctrl+Z and Ctrl+Shift+Z scoped to the panel, enabled while there is
// something to undo or redo.
class QAction;
class QUndoStack;
class QWidget;

namespace latent {

struct UndoActions {
    QAction* undo = nullptr;
    QAction* redo = nullptr;
};

// Both actions are added to `panel` (so their shortcuts work inside it).
UndoActions makeUndoActions(QWidget* panel, QUndoStack* stack);

}  // namespace latent
