#pragma once
// An inline banner for a panel's errors: visible, selectable, dismissable,
// and never modal, so nothing else stops working while it shows.
#include <QFrame>

class QLabel;
class QToolButton;

namespace latent {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Error, Info };
    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(Kind kind, const QString& text);
    void showError(const QString& text) { showMessage(Kind::Error, text); }
    QString text() const;
    Kind kind() const { return m_kind; }

public Q_SLOTS:
    void dismiss();

private:
    QLabel* m_icon;
    QLabel* m_text;
    QToolButton* m_close;
    Kind m_kind = Kind::Error;
};

}  // namespace latent
