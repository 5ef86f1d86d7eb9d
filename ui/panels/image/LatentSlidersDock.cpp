#include "panels/image/LatentSlidersDock.h"

#include <QAction>
#include <QTabWidget>

#include "panels/image/ImagePanel.h"
#include "panels/image/LatentSliders.h"

namespace latent {

LatentSlidersDock::LatentSlidersDock(ImagePanel* panel, QTabWidget* tabs, QWidget* parent)
    : QDockWidget(tr("Latent sliders"), parent), m_panel(panel), m_tabs(tabs) {
    setObjectName(QStringLiteral("latentSlidersDock"));
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    setWidget(panel->latentSliders());
    setMinimumWidth(280);
    toggleViewAction()->setToolTip(tr("Show the latent sliders of the selected image (Image panel)"));
    // A user's show or hide (View menu, close button) is remembered; ours is not.
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (m_following || m_tabs->currentWidget() != m_panel) return;
        if (!visible && !isHidden()) return;  // tabbed behind another dock: still wanted
        m_wanted = visible;
    });
    connect(tabs, &QTabWidget::currentChanged, this, &LatentSlidersDock::follow);
}

void LatentSlidersDock::follow() {
    m_following = true;
    setVisible(m_wanted && m_tabs->currentWidget() == m_panel);
    m_following = false;
}

}  // namespace latent
