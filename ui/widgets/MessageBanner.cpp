#include "widgets/MessageBanner.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
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
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(QIcon(QStringLiteral(":/icons/close.svg")));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString& text) {
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
    m_text->clear();
    hide();
}

}  // namespace latent
