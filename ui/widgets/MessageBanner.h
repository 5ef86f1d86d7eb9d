#pragma once
// An inline banner for a panel's errors: visible, selectable, dismissable,
// and never modal, so nothing else stops working while it shows.
#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace latent {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Error, Info };
    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(Kind kind, const QString& text);
    // With a button (an "Undo", a "Resume") that runs `action`, then dismisses.
    void showMessage(Kind kind, const QString& text, const QString& actionText, std::function<void()> action);
    void showError(const QString& text) { showMessage(Kind::Error, text); }
    QString text() const;
    Kind kind() const { return m_kind; }

public Q_SLOTS:
    void dismiss();

private:
    QLabel* m_icon;
    QLabel* m_text;
    QPushButton* m_action;
    QToolButton* m_close;
    std::function<void()> m_onAction;
    Kind m_kind = Kind::Error;
};

}  // namespace latent
