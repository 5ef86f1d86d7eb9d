#include "dialogs/ModelManagerDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "app/Studio.h"
#include "dialogs/ImportTorchScriptDialog.h"
#include "dialogs/ModelFoldersEditor.h"
#include "latent/StudioPaths.h"
#include "models/ModelListModel.h"
#include "models/PluginListModel.h"

namespace latent {

namespace {
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->setSortingEnabled(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}
}  // namespace

ModelManagerDialog::ModelManagerDialog(Studio& studio, QWidget* parent) : QDialog(parent), m_studio(studio) {
    setWindowTitle(tr("Model Manager"));
    setObjectName(QStringLiteral("modelManagerDialog"));
    auto* layout = new QVBoxLayout(this);

    m_tabs = new QTabWidget(this);
    m_models = makeTable(studio.models(), m_tabs);
    m_models->setObjectName(QStringLiteral("modelsTable"));
    m_models->horizontalHeader()->resizeSection(ModelListModel::NameColumn, 170);
    m_models->horizontalHeader()->resizeSection(ModelListModel::IdColumn, 140);
    m_models->horizontalHeader()->resizeSection(ModelListModel::FamilyColumn, 130);
    m_models->horizontalHeader()->resizeSection(ModelListModel::TasksColumn, 150);
    m_models->horizontalHeader()->resizeSection(ModelListModel::SourceColumn, 240);
    m_tabs->addTab(m_models, QIcon(QStringLiteral(":/icons/models.svg")), tr("Models"));
    m_plugins = makeTable(studio.plugins(), m_tabs);
    m_plugins->setObjectName(QStringLiteral("pluginsTable"));
    m_plugins->horizontalHeader()->resizeSection(PluginListModel::IdColumn, 150);
    m_plugins->horizontalHeader()->resizeSection(PluginListModel::NameColumn, 180);
    m_plugins->horizontalHeader()->resizeSection(PluginListModel::TasksColumn, 200);
    m_tabs->addTab(m_plugins, QIcon(QStringLiteral(":/icons/plugin.svg")), tr("Plugins"));
    m_folders = new ModelFoldersEditor(studio, m_tabs);
    m_tabs->addTab(m_folders, QIcon(QStringLiteral(":/icons/folder-add.svg")), tr("Folders"));
    layout->addWidget(m_tabs, 1);

    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("managerNote"));
    layout->addWidget(m_note);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(QIcon(QStringLiteral(":/icons/folder-add.svg")), tr("Add model folder…"), this);
    auto* remove = new QPushButton(QIcon(QStringLiteral(":/icons/folder-remove.svg")), tr("Remove folder"), this);
    m_rescan = new QPushButton(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("Rescan"), this);
    m_rescan->setObjectName(QStringLiteral("rescanButton"));
    auto* import = new QPushButton(QIcon(QStringLiteral(":/icons/import.svg")), tr("Import TorchScript…"), this);
    import->setObjectName(QStringLiteral("importTorchScript"));
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(m_rescan);
    buttons->addWidget(import);
    buttons->addStretch(1);
    buttons->addWidget(close);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, m_folders, &ModelFoldersEditor::addFolder);
    connect(remove, &QPushButton::clicked, this, [this] {
        m_tabs->setCurrentWidget(m_folders);
        m_folders->removeSelected();
    });
    connect(m_rescan, &QPushButton::clicked, this, &ModelManagerDialog::rescan);
    connect(import, &QPushButton::clicked, this, &ModelManagerDialog::importTorchScript);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_folders, &ModelFoldersEditor::message, this, &ModelManagerDialog::setNote);
    connect(&studio, &Studio::rescanStarted, this, &ModelManagerDialog::updateBusy);
    connect(&studio, &Studio::modelsRefreshed, this, [this] {
        updateBusy();
        int invalid = 0;
        for (const auto& e : m_studio.models()->entries()) invalid += e.valid ? 0 : 1;
        setNote(invalid > 0 ? tr("%n package(s) could not be used; hover for the reason.", nullptr, invalid)
                            : QString());
    });
    connect(&studio, &Studio::problem, this, &ModelManagerDialog::setNote);
    resize(1000, 520);
    updateBusy();
}

void ModelManagerDialog::setNote(const QString& text) {
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

void ModelManagerDialog::updateBusy() {
    const bool busy = m_studio.isRescanning();
    m_rescan->setEnabled(!busy && m_studio.isReady());
    m_rescan->setText(busy ? tr("Scanning…") : tr("Rescan"));
}

void ModelManagerDialog::rescan() {
    m_studio.rescanModels();
    updateBusy();
}

void ModelManagerDialog::importTorchScript() {
    const QString dest = QString::fromStdString(StudioPaths::userModelDir().string());
    auto* dialog = new ImportTorchScriptDialog(dest, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportTorchScriptDialog::imported, this, [this](const QString& id) {
        setNote(tr("Imported %1. Scanning…").arg(id));
        m_studio.rescanModels();
    });
    dialog->open();
}

}  // namespace latent
