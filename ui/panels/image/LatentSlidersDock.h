#pragma once
// The "Latent sliders" dock: holds the image panel's LatentSliders and shows
// while the Image tab is current, unless the user closed it.
#include <QDockWidget>

class QTabWidget;

namespace latent {

class ImagePanel;

class LatentSlidersDock : public QDockWidget {
    Q_OBJECT
public:
    LatentSlidersDock(ImagePanel* panel, QTabWidget* tabs, QWidget* parent = nullptr);

    // Whether the user wants the dock (View menu, close button); it still
    // hides while another panel is current.
    bool isWanted() const { return m_wanted; }
    // Shows or hides the dock for the current tab; call after restoring the window state.
    void follow();

private:
    ImagePanel* m_panel;
    QTabWidget* m_tabs;
    bool m_wanted = true;
    bool m_following = false;  // our own show/hide, not the user's
};

}  // namespace latent
