#pragma once
// The "Latent sliders" dock: holds the latent editor of each panel that has
// one (Image, Audio) and shows the current panel's, unless the user closed
// the dock; on other panels it hides.
#include <QDockWidget>

#include <vector>

class QStackedWidget;
class QTabWidget;

namespace latent {

class LatentSliders;

class LatentSlidersDock : public QDockWidget {
    Q_OBJECT
public:
    explicit LatentSlidersDock(QTabWidget* tabs, QWidget* parent = nullptr);

    // `sliders` shows while `panel` is the current tab; the dock takes it.
    void addPanel(QWidget* panel, LatentSliders* sliders);
    bool hasPanel(QWidget* panel) const;
    // The editor on show (null on panels without one).
    LatentSliders* currentSliders() const;

    // Whether the user wants the dock (View menu, close button); it still
    // hides while a panel without sliders is current.
    bool isWanted() const { return m_wanted; }
    // Shows or hides the dock for the current tab; call after restoring the window state.
    void follow();

private:
    struct Page {
        QWidget* panel = nullptr;
        LatentSliders* sliders = nullptr;
    };
    const Page* pageFor(QWidget* panel) const;

    QTabWidget* m_tabs;
    QStackedWidget* m_stack;
    std::vector<Page> m_pages;
    bool m_wanted = true;
    bool m_following = false;  // our own show/hide, not the user's
};

}  // namespace latent
