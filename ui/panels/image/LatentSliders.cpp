#include "panels/image/LatentSliders.h"

#include <QAction>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFont>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "latent/media/LatentDirectionSet.h"

namespace latent {

namespace {
int toTicks(double v) { return int(std::lround(std::clamp(v, -LatentSliders::kRange, LatentSliders::kRange) *
                                               LatentSliders::kTicksPerUnit)); }
QList<double> toList(const std::vector<double>& v) { return QList<double>(v.begin(), v.end()); }
}  // namespace

LatentSliders::LatentSliders(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("latentSliders"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("slidersTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("slidersDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_details);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("slidersMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(230, 150, 20, 45); border: 1px solid rgba(230, 150, 20, 140);"
        " border-radius: 4px; padding: 6px; }"));
    m_message->setVisible(false);
    layout->addWidget(m_message);

    m_buttons = new QHBoxLayout;
    m_buttons->setSpacing(4);
    m_reset = new QPushButton(QIcon(QStringLiteral(":/icons/reset.svg")), tr("Reset"), this);
    m_reset->setObjectName(QStringLiteral("slidersReset"));
    m_reset->setToolTip(tr("Set every unlocked slider to 0 (back to the image's base latent)"));
    m_randomise = new QPushButton(QIcon(QStringLiteral(":/icons/dice.svg")), tr("Randomise"), this);
    m_randomise->setObjectName(QStringLiteral("slidersRandomise"));
    m_randomise->setToolTip(tr("Draw every unlocked slider from a normal distribution scaled by the spread"));
    m_spread = new QDoubleSpinBox(this);
    m_spread->setObjectName(QStringLiteral("slidersSpread"));
    m_spread->setRange(0.1, 3.0);
    m_spread->setSingleStep(0.1);
    m_spread->setDecimals(1);
    m_spread->setValue(1.0);
    m_spread->setPrefix(QStringLiteral("σ "));
    m_spread->setToolTip(tr("Spread of Randomise: values are N(0, 1) × this, within −3…3"));
    m_buttons->addWidget(m_reset);
    m_buttons->addWidget(m_randomise);
    m_buttons->addWidget(m_spread);
    m_buttons->addStretch(1);
    layout->addLayout(m_buttons);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_rowsHost = new QWidget(m_scroll);
    auto* hostLayout = new QVBoxLayout(m_rowsHost);
    hostLayout->setContentsMargins(0, 0, 0, 0);
    m_grid = new QGridLayout;
    m_grid->setHorizontalSpacing(6);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(2, 1);
    hostLayout->addLayout(m_grid);
    hostLayout->addStretch(1);
    m_scroll->setWidget(m_rowsHost);
    layout->addWidget(m_scroll, 1);

    m_source = new QLabel(this);
    m_source->setObjectName(QStringLiteral("slidersSource"));
    m_source->setWordWrap(true);
    m_source->setEnabled(false);
    layout->addWidget(m_source);

    connect(m_reset, &QPushButton::clicked, this, &LatentSliders::reset);
    connect(m_randomise, &QPushButton::clicked, this, &LatentSliders::randomise);
    setImageInfo({}, {});
}

QString LatentSliders::formatValue(double v) {
    if (std::abs(v) < 0.005) return QStringLiteral("0.00");
    // A real minus sign lines up with the plus.
    return (v > 0 ? QStringLiteral("+") : QStringLiteral("\u2212")) + QString::number(std::abs(v), 'f', 2);
}

void LatentSliders::clearRows() {
    m_rows.clear();
    // Rows and group headers: every widget in the grid goes.
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void LatentSliders::setDirections(const LatentDirectionSet& set) {
    const QString source = set.dim() > 0 ? tr("%1-dimensional %2 space · directions: %3")
                                               .arg(set.dim())
                                               .arg(QString::fromStdString(set.space()),
                                                    QString::fromStdString(set.source()))
                                         : QString();
    setRows(set.directions(), source);
}

void LatentSliders::setRows(const std::vector<LatentDirection>& dirs, const QString& source) {
    clearRows();
    int gridRow = 0;
    std::string group;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        const LatentDirection& d = dirs[i];
        if (d.group != group) {
            group = d.group;
            auto* header = new QLabel(QString::fromStdString(group), m_rowsHost);
            QFont f = header->font();
            f.setBold(true);
            header->setFont(f);
            header->setContentsMargins(0, gridRow ? 8 : 0, 0, 2);
            m_grid->addWidget(header, gridRow++, 0, 1, 4);
        }
        Row r;
        r.key = QString::fromStdString(d.name);
        const QString tip = QString::fromStdString(d.tooltip);
        r.lock = new QCheckBox(m_rowsHost);
        r.lock->setObjectName(QStringLiteral("lock_%1").arg(i));
        r.lock->setToolTip(tr("Lock: Reset and Randomise leave this slider alone"));
        r.lock->setChecked(m_locked.contains(r.key));
        r.name = new QLabel(r.key, m_rowsHost);
        r.name->setToolTip(tip);
        r.name->setMinimumWidth(56);
        r.name->setMaximumWidth(170);
        r.slider = new QSlider(Qt::Horizontal, m_rowsHost);
        r.slider->setObjectName(QStringLiteral("slider_%1").arg(i));
        r.slider->setRange(-int(kRange * kTicksPerUnit), int(kRange * kTicksPerUnit));
        r.slider->setSingleStep(5);
        r.slider->setPageStep(50);
        r.slider->setTickPosition(QSlider::NoTicks);
        r.slider->setMinimumWidth(120);
        r.slider->setToolTip(tip);
        r.slider->setAccessibleName(r.key);
        r.value = new QLabel(formatValue(0), m_rowsHost);
        r.value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        r.value->setMinimumWidth(r.value->fontMetrics().horizontalAdvance(QStringLiteral("\u22123.00")) + 4);
        m_grid->addWidget(r.lock, gridRow, 0);
        m_grid->addWidget(r.name, gridRow, 1);
        m_grid->addWidget(r.slider, gridRow, 2);
        m_grid->addWidget(r.value, gridRow, 3);
        ++gridRow;
        const int row = int(m_rows.size());
        connect(r.slider, &QSlider::valueChanged, this, [this, row](int ticks) { onSliderMoved(row, ticks); });
        connect(r.slider, &QSlider::sliderReleased, this, [this, row] {
            commit(tr("Move %1").arg(m_rows[std::size_t(row)].key), row);
        });
        connect(r.lock, &QCheckBox::toggled, this, [this, row](bool on) {
            const QString key = m_rows[std::size_t(row)].key;
            if (on) m_locked.insert(key);
            else m_locked.remove(key);
            updateEnabled();
        });
        m_rows.push_back(r);
    }
    m_values.assign(m_rows.size(), 0.0);
    m_committed = m_values;
    m_source->setText(source);
    updateEnabled();
}

QString LatentSliders::directionName(int i) const {
    return i >= 0 && i < count() ? m_rows[std::size_t(i)].key : QString();
}

void LatentSliders::setEmptyText(const QString& title, const QString& details) {
    m_emptyTitle = title;
    m_emptyDetails = details;
    if (!m_editable) setImageInfo({}, {});
}

void LatentSliders::setImageInfo(const QString& title, const QString& details) {
    m_editable = !title.isEmpty();
    if (m_emptyTitle.isEmpty()) {
        m_emptyTitle = tr("No image selected");
        m_emptyDetails = tr("Click an image on the canvas to edit its latent; Ctrl+click a second one to "
                            "interpolate between them.");
    }
    m_title->setText(m_editable ? title : m_emptyTitle);
    m_details->setText(m_editable ? details : m_emptyDetails);
    m_details->setVisible(!m_details->text().isEmpty());
    updateEnabled();
}

void LatentSliders::setMessage(const QString& text) {
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

QString LatentSliders::message() const { return m_message->text(); }

void LatentSliders::updateEnabled() {
    bool anyUnlocked = false;
    for (const Row& r : m_rows) {
        const bool locked = r.lock->isChecked();
        anyUnlocked = anyUnlocked || !locked;
        r.slider->setEnabled(m_editable && !locked);
        r.lock->setEnabled(m_editable);
        r.name->setEnabled(m_editable);
        r.value->setEnabled(m_editable);
    }
    m_reset->setEnabled(m_editable && anyUnlocked);
    m_randomise->setEnabled(m_editable && anyUnlocked);
    m_spread->setEnabled(m_editable);
}

void LatentSliders::setValues(const std::vector<double>& values) {
    m_updating = true;
    m_values.assign(m_rows.size(), 0.0);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const double v = i < values.size() ? values[i] : 0.0;
        m_values[i] = v;
        m_rows[i].slider->setValue(toTicks(v));
        m_rows[i].value->setText(formatValue(v));
    }
    m_committed = m_values;
    m_updating = false;
}

void LatentSliders::onSliderMoved(int row, int ticks) {
    if (m_updating || row >= count()) return;
    const double v = double(ticks) / kTicksPerUnit;
    m_values[std::size_t(row)] = v;
    m_rows[std::size_t(row)].value->setText(formatValue(v));
    Q_EMIT valuesEdited(toList(m_values));
    // A drag commits on release; keys, the wheel and clicks on the groove at once.
    if (!m_rows[std::size_t(row)].slider->isSliderDown()) commit(tr("Move %1").arg(m_rows[std::size_t(row)].key), row);
}

void LatentSliders::commit(const QString& text, int slider) {
    if (m_values == m_committed) return;
    const auto before = m_committed;
    m_committed = m_values;
    Q_EMIT editCommitted(toList(before), toList(m_values), text, slider);
}

bool LatentSliders::isLocked(int i) const { return i >= 0 && i < count() && m_rows[std::size_t(i)].lock->isChecked(); }

void LatentSliders::setLocked(int i, bool locked) {
    if (i >= 0 && i < count()) m_rows[std::size_t(i)].lock->setChecked(locked);
}

double LatentSliders::spread() const { return m_spread->value(); }
void LatentSliders::setSpread(double spread) { m_spread->setValue(spread); }

QSlider* LatentSliders::slider(int i) const { return i >= 0 && i < count() ? m_rows[std::size_t(i)].slider : nullptr; }
QCheckBox* LatentSliders::lockBox(int i) const { return i >= 0 && i < count() ? m_rows[std::size_t(i)].lock : nullptr; }

void LatentSliders::addToolAction(QAction* action) {
    auto* b = new QToolButton(this);
    b->setDefaultAction(action);
    b->setAutoRaise(true);
    m_buttons->addWidget(b);
    // The panel's shortcuts (Ctrl+Z) work while the dock has focus too.
    addAction(action);
}

std::vector<double> LatentSliders::resetValues() const {
    std::vector<double> out = m_values;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!isLocked(int(i))) out[i] = 0.0;
    return out;
}

std::vector<double> LatentSliders::randomValues(QRandomGenerator& rng) const {
    std::vector<double> out = m_values;
    const double s = spread();
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (isLocked(int(i))) continue;
        // Box–Muller; rounded to the slider's resolution so it shows exactly.
        const double u = 1.0 - rng.generateDouble(), w = rng.generateDouble();
        const double n = std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * w);
        out[i] = double(toTicks(n * s)) / kTicksPerUnit;
    }
    return out;
}

void LatentSliders::setAll(const std::vector<double>& values, const QString& text) {
    if (!m_editable) return;
    const auto before = m_committed;
    setValues(values);
    m_committed = before;
    m_values = values;
    m_values.resize(m_rows.size(), 0.0);
    commit(text, -1);
}

void LatentSliders::reset() { setAll(resetValues(), tr("Reset sliders")); }

void LatentSliders::randomise() { setAll(randomValues(*QRandomGenerator::global()), tr("Randomise sliders")); }

}  // namespace latent
