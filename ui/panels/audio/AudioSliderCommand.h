#pragma once
// One undoable edit of the sound's latent sliders: a finished drag
// (consecutive drags of the same slider merge into one step), a key or wheel
// step, Reset or Randomise. Undo and redo hand the values back to the panel,
// which re-renders the sound and plays it again. `sound` numbers the sound
// the edit belongs to, so a step never applies to a later sound.
#include <QUndoCommand>

#include <vector>

namespace latent {

class AudioPanel;

class AudioSliderCommand : public QUndoCommand {
public:
    static constexpr int kSliderMergeId = 0x4153;  // "AS"

    AudioSliderCommand(AudioPanel& panel, int sound, std::vector<double> before, std::vector<double> after,
                       const QString& text, int slider = -1);

    void undo() override;
    void redo() override;
    int id() const override { return m_slider >= 0 ? kSliderMergeId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

    const std::vector<double>& before() const { return m_before; }
    const std::vector<double>& after() const { return m_after; }

private:
    AudioPanel& m_panel;
    int m_sound;
    std::vector<double> m_before;
    std::vector<double> m_after;
    int m_slider;
};

}  // namespace latent
