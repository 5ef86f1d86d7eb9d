#include "mainwindow/LogDock.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

#include "models/LogFilterModel.h"
#include "models/LogModel.h"

namespace latent {

LogDock::LogDock(LogModel* model, QWidget* parent) : QDockWidget(tr("Log"), parent), m_model(model) {
    setObjectName(QStringLiteral("logDock"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(4);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show"), body));
    m_level = new QComboBox(body);
    m_level->setObjectName(QStringLiteral("logLevelFilter"));
    // spdlog levels: debug = 1, info = 2, warn = 3, err = 4.
    m_level->addItem(tr("Debug and above"), 1);
    m_level->addItem(tr("Info and above"), 2);
    m_level->addItem(tr("Warnings and errors"), 3);
    m_level->addItem(tr("Errors only"), 4);
    m_level->setCurrentIndex(1);
    bar->addWidget(m_level);
    bar->addStretch(1);
    auto* clear = new QPushButton(tr("Clear"), body);
    bar->addWidget(clear);
    layout->addLayout(bar);

    m_filter = new LogFilterModel(this);
    m_filter->setSourceModel(model);
    m_filter->setMinimumLevel(2);
    m_view = new QListView(body);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setModel(m_filter);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_view, 1);
    setWidget(body);

    connect(m_level, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setMinimumLevel(m_level->currentData().toInt()); });
    connect(clear, &QPushButton::clicked, model, &LogModel::clear);
    // Follow the tail unless the reader scrolled up.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar* bar = m_view->verticalScrollBar();
        m_view->setProperty("followTail", bar->value() >= bar->maximum() - 2);
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->property("followTail").toBool()) m_view->scrollToBottom();
    });
}

}  // namespace latent
