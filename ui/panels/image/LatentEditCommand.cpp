#include "panels/image/LatentEditCommand.h"

#include "panels/image/ImagePanel.h"

namespace latent {

LatentEditCommand::LatentEditCommand(ImagePanel& panel, int image, State before, State after, const QString& text,
                                     int slider, QUndoCommand* parent)
    : QUndoCommand(text, parent),
      m_panel(panel),
      m_image(image),
      m_before(std::move(before)),
      m_after(std::move(after)),
      m_slider(slider) {}

void LatentEditCommand::undo() { m_panel.applyLatentState(m_image, m_before); }

void LatentEditCommand::redo() { m_panel.applyLatentState(m_image, m_after); }

bool LatentEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const LatentEditCommand*>(other);
    if (!o || o->m_image != m_image || o->m_slider != m_slider || m_slider < 0) return false;
    m_after = o->m_after;
    // Dragged back to where it started: nothing left to undo.
    setObsolete(m_after == m_before);
    return true;
}

}  // namespace latent
