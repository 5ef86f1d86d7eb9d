#include "panels/audio/AudioSliderCommand.h"

#include "panels/audio/AudioPanel.h"

namespace latent {

AudioSliderCommand::AudioSliderCommand(AudioPanel& panel, int sound, std::vector<double> before,
                                       std::vector<double> after, const QString& text, int slider)
    : m_panel(panel), m_sound(sound), m_before(std::move(before)), m_after(std::move(after)), m_slider(slider) {
    setText(text);
}

void AudioSliderCommand::undo() { m_panel.applySliderValues(m_sound, m_before); }

// On push the panel already shows these values: applying them is a no-op then.
void AudioSliderCommand::redo() { m_panel.applySliderValues(m_sound, m_after); }

bool AudioSliderCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const AudioSliderCommand*>(other);
    if (!o || o->m_sound != m_sound || o->m_slider != m_slider || m_slider < 0) return false;
    m_after = o->m_after;
    setObsolete(m_after == m_before);
    return true;
}

}  // namespace latent
