#pragma once
// One undoable edit of an image's latent: a finished slider drag (consecutive
// drags of the same slider on the same image merge into one step), Reset,
// Randomise, or a new base latent picked from the interpolation strip.
// Undo and redo hand the state back to the panel, which re-renders it.
#include <QUndoCommand>

#include <vector>

namespace latent {

class ImagePanel;

class LatentEditCommand : public QUndoCommand {
public:
    struct State {
        std::vector<float> base;
        std::vector<double> sliders;
        bool operator==(const State&) const = default;
    };
    static constexpr int kSliderMergeId = 0x4c45;  // "LE"

    // `slider` >= 0 marks a single-slider edit that may merge with the next.
    LatentEditCommand(ImagePanel& panel, int image, State before, State after, const QString& text, int slider = -1,
                      QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;
    int id() const override { return m_slider >= 0 ? kSliderMergeId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

    int image() const { return m_image; }
    const State& before() const { return m_before; }
    const State& after() const { return m_after; }

private:
    ImagePanel& m_panel;
    int m_image;
    State m_before;
    State m_after;
    int m_slider;
};

}  // namespace latent
