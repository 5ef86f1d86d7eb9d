#include "dialogs/ModelFoldersEditor.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QIcon>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/Studio.h"

namespace latent {

ModelFoldersEditor::ModelFoldersEditor(Studio& studio, QWidget* parent) : QWidget(parent), m_studio(studio) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("modelFolders"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    layout->addWidget(m_list, 1);
    auto* buttons = new QVBoxLayout;
    m_add = new QPushButton(QIcon(QStringLiteral(":/icons/folder-add.svg")), tr("Add model folder…"), this);
    m_add->setObjectName(QStringLiteral("addModelFolder"));
    m_remove = new QPushButton(QIcon(QStringLiteral(":/icons/folder-remove.svg")), tr("Remove folder"), this);
    m_remove->setObjectName(QStringLiteral("removeModelFolder"));
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_add, &QPushButton::clicked, this, &ModelFoldersEditor::addFolder);
    connect(m_remove, &QPushButton::clicked, this, &ModelFoldersEditor::removeSelected);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(&studio, &Studio::modelsRefreshed, this, &ModelFoldersEditor::refresh);
    refresh();
}

void ModelFoldersEditor::refresh() {
    m_list->clear();
    for (const QString& dir : m_studio.userModelFolders()) m_list->addItem(dir);
    m_remove->setEnabled(false);
}

void ModelFoldersEditor::addFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of model packages"));
    if (dir.isEmpty()) return;
    m_studio.addModelFolder(dir);
    refresh();
    Q_EMIT message(tr("Scanning %1…").arg(dir));
}

void ModelFoldersEditor::removeSelected() {
    bool removed = false;
    for (QListWidgetItem* item : m_list->selectedItems()) removed = m_studio.removeModelFolder(item->text()) || removed;
    refresh();
    if (removed) Q_EMIT message(tr("Removed. Its models are no longer listed."));
}

}  // namespace latent
