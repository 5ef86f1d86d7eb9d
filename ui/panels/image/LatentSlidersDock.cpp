#include "panels/image/LatentSlidersDock.h"

#include <QAction>
#include <QStackedWidget>
#include <QTabWidget>

#include "panels/image/LatentSliders.h"

namespace latent {

LatentSlidersDock::LatentSlidersDock(QTabWidget* tabs, QWidget* parent)
    : QDockWidget(tr("Latent sliders"), parent), m_tabs(tabs), m_stack(new QStackedWidget(this)) {
    setObjectName(QStringLiteral("latentSlidersDock"));
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    setWidget(m_stack);
    setMinimumWidth(280);
    toggleViewAction()->setToolTip(tr("Show the latent sliders of the selected image or the current sound"));
    // A user's show or hide (View menu, close button) is remembered; ours is not.
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (m_following || !pageFor(m_tabs->currentWidget())) return;
        if (!visible && !isHidden()) return;  // tabbed behind another dock: still wanted
        m_wanted = visible;
    });
    connect(tabs, &QTabWidget::currentChanged, this, &LatentSlidersDock::follow);
}

void LatentSlidersDock::addPanel(QWidget* panel, LatentSliders* sliders) {
    if (!panel || !sliders || pageFor(panel)) return;
    m_stack->addWidget(sliders);
    m_pages.push_back({panel, sliders});
    follow();
}

const LatentSlidersDock::Page* LatentSlidersDock::pageFor(QWidget* panel) const {
    for (const Page& p : m_pages)
        if (p.panel == panel) return &p;
    return nullptr;
}

bool LatentSlidersDock::hasPanel(QWidget* panel) const { return pageFor(panel) != nullptr; }

LatentSliders* LatentSlidersDock::currentSliders() const {
    const Page* p = pageFor(m_tabs->currentWidget());
    return p ? p->sliders : nullptr;
}

void LatentSlidersDock::follow() {
    const Page* page = pageFor(m_tabs->currentWidget());
    if (page) m_stack->setCurrentWidget(page->sliders);
    m_following = true;
    setVisible(m_wanted && page);
    m_following = false;
}

}  // namespace latent
