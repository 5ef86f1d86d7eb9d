#include "widgets/UndoActions.h"

#include <QAction>
#include <QIcon>
#include <QKeySequence>
#include <QUndoStack>
#include <QWidget>

namespace latent {

UndoActions makeUndoActions(QWidget* panel, QUndoStack* stack) {
    UndoActions a;
    a.undo = new QAction(QIcon(QStringLiteral(":/icons/undo.svg")), QObject::tr("Undo"), panel);
    a.undo->setShortcut(QKeySequence::Undo);
    a.redo = new QAction(QIcon(QStringLiteral(":/icons/redo.svg")), QObject::tr("Redo"), panel);
    QList<QKeySequence> redoKeys{QKeySequence(QStringLiteral("Ctrl+Shift+Z"))};
    if (QKeySequence(QKeySequence::Redo) != redoKeys.front()) redoKeys << QKeySequence(QKeySequence::Redo);
    a.redo->setShortcuts(redoKeys);
    for (QAction* action : {a.undo, a.redo}) {
        // Scoped to this panel so the other panels can use the same keys.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setEnabled(false);
        panel->addAction(action);
    }
    QObject::connect(a.undo, &QAction::triggered, stack, &QUndoStack::undo);
    QObject::connect(a.redo, &QAction::triggered, stack, &QUndoStack::redo);
    QObject::connect(stack, &QUndoStack::canUndoChanged, a.undo, &QAction::setEnabled);
    QObject::connect(stack, &QUndoStack::canRedoChanged, a.redo, &QAction::setEnabled);
    QAction* undo = a.undo;
    QAction* redo = a.redo;
    QObject::connect(stack, &QUndoStack::undoTextChanged, undo, [undo](const QString& t) {
        undo->setToolTip(t.isEmpty() ? QObject::tr("Undo (Ctrl+Z)") : QObject::tr("Undo %1 (Ctrl+Z)").arg(t));
    });
    QObject::connect(stack, &QUndoStack::redoTextChanged, redo, [redo](const QString& t) {
        redo->setToolTip(t.isEmpty() ? QObject::tr("Redo (Ctrl+Shift+Z)") : QObject::tr("Redo %1 (Ctrl+Shift+Z)").arg(t));
    });
    undo->setToolTip(QObject::tr("Undo (Ctrl+Z)"));
    redo->setToolTip(QObject::tr("Redo (Ctrl+Shift+Z)"));
    return a;
}

}  // namespace latent
