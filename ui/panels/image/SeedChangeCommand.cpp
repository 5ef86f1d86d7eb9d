#include "panels/image/SeedChangeCommand.h"

#include "panels/image/ImagePanel.h"

namespace latent {

namespace {
QString seedText(std::uint64_t before, std::uint64_t after) {
    return QObject::tr("Seed %1 \u2192 %2").arg(qulonglong(before)).arg(qulonglong(after));
}
}  // namespace

SeedChangeCommand::SeedChangeCommand(ImagePanel& panel, std::uint64_t before, std::uint64_t after, bool typing,
                                     QUndoCommand* parent)
    : QUndoCommand(seedText(before, after), parent), m_panel(panel), m_before(before), m_after(after), m_typing(typing) {}

void SeedChangeCommand::undo() { m_panel.applySeed(m_before); }

void SeedChangeCommand::redo() { m_panel.applySeed(m_after); }

bool SeedChangeCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const SeedChangeCommand*>(other);
    if (!o || !m_typing || !o->m_typing) return false;
    m_after = o->m_after;
    setText(seedText(m_before, m_after));
    setObsolete(m_after == m_before);
    return true;
}

}  // namespace latent
