#include "widgets/MessageBanner.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace latent {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("messageBanner"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setSpacing(8);
    m_icon = new QLabel(this);
    m_icon->setFixedSize(18, 18);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);
    m_action = new QPushButton(this);
    m_action->setObjectName(QStringLiteral("messageAction"));
    m_action->hide();
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(QIcon(QStringLiteral(":/icons/close.svg")));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);
    connect(m_action, &QPushButton::clicked, this, [this] {
        // Dismiss first: the action may show a new message in this banner.
        auto action = std::move(m_onAction);
        dismiss();
        if (action) action();
    });
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString& text, const QString& actionText,
                                std::function<void()> action) {
    showMessage(kind, text);
    m_onAction = std::move(action);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty() && m_onAction);
}

void MessageBanner::showMessage(Kind kind, const QString& text) {
    m_onAction = nullptr;
    m_action->hide();
    m_kind = kind;
    m_text->setText(text);
    const bool error = kind == Kind::Error;
    m_icon->setPixmap(QIcon(error ? QStringLiteral(":/icons/error.svg") : QStringLiteral(":/icons/info.svg")).pixmap(18, 18));
    // Translucent tints read well on both the light and the dark palette.
    setStyleSheet(error ? QStringLiteral("#messageBanner { background: rgba(229, 72, 77, 40); border: 1px solid rgba(229, 72, 77, 150); border-radius: 6px; }")
                        : QStringLiteral("#messageBanner { background: rgba(61, 139, 253, 35); border: 1px solid rgba(61, 139, 253, 140); border-radius: 6px; }"));
    show();
}

QString MessageBanner::text() const { return isHidden() ? QString() : m_text->text(); }

void MessageBanner::dismiss() {
    m_onAction = nullptr;
    m_action->hide();
    m_text->clear();
    hide();
}

}  // namespace latent
