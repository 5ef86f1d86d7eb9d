#pragma once
// The user's model folders (StudioPaths::userModelFolders) with Add/Remove;
// shared by the Model Manager and the Settings dialog.
#include <QWidget>

class QListWidget;
class QPushButton;

namespace latent {

class Studio;

class ModelFoldersEditor : public QWidget {
    Q_OBJECT
public:
    explicit ModelFoldersEditor(Studio& studio, QWidget* parent = nullptr);
    QListWidget* list() const { return m_list; }

public Q_SLOTS:
    void refresh();
    void addFolder();  // asks with a folder dialog
    void removeSelected();

Q_SIGNALS:
    void message(const QString& text);

private:
    Studio& m_studio;
    QListWidget* m_list;
    QPushButton* m_add;
    QPushButton* m_remove;
};

}  // namespace latent
