#include "panels/image/InterpolationStrip.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace latent {

namespace {
// Small model outputs (28 px) are magnified with crisp pixels, large ones smoothed.
QPixmap thumbnailPixmap(const QImage& image, int size) {
    QPixmap out(size, size);
    out.fill(Qt::transparent);
    if (image.isNull()) return out;
    const bool up = image.width() < size && image.height() < size;
    const QImage scaled = image.scaled(size, size, Qt::KeepAspectRatio, up ? Qt::FastTransformation : Qt::SmoothTransformation);
    QPainter p(&out);
    p.drawImage((size - scaled.width()) / 2, (size - scaled.height()) / 2, scaled);
    return out;
}
}  // namespace

InterpolationStrip::InterpolationStrip(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("interpolationStrip"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(4);

    auto* row = new QHBoxLayout;
    row->setSpacing(6);
    auto* title = new QLabel(tr("Interpolate"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("interpolationMode"));
    m_mode->addItem(tr("Spherical (slerp)"), int(InterpolationMode::Spherical));
    m_mode->addItem(tr("Linear"), int(InterpolationMode::Linear));
    m_mode->setToolTip(tr("Spherical keeps every step as far from the origin as the endpoints, where a Gaussian "
                          "prior puts its samples; linear mixes the coordinates"));
    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("interpolationSteps"));
    m_steps->setRange(kMinSteps, kMaxSteps);
    m_steps->setValue(8);
    m_steps->setSuffix(tr(" steps"));
    m_steps->setToolTip(tr("Images from A to B, both included"));
    m_run = new QPushButton(QIcon(QStringLiteral(":/icons/interpolate.svg")), tr("Interpolate"), this);
    m_run->setObjectName(QStringLiteral("interpolateButton"));
    m_run->setToolTip(tr("Decode the steps between the two selected images"));
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("interpolationHint"));
    m_hint->setEnabled(false);
    // Hints change with the selection: cut at the edge (whole in the tooltip)
    // rather than widen the window each time one is longer.
    m_hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    row->addWidget(title);
    row->addWidget(m_mode);
    row->addWidget(m_steps);
    row->addWidget(m_run);
    row->addWidget(m_hint, 1);
    layout->addLayout(row);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("interpolationThumbnails"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(false);
    m_list->setMovement(QListView::Static);
    m_list->setIconSize(QSize(kThumbnail, kThumbnail));
    m_list->setSpacing(3);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setFixedHeight(kThumbnail + 34);
    m_list->setToolTip(tr("Click a step to make it the selected image's new base latent"));
    m_list->setVisible(false);
    layout->addWidget(m_list);

    connect(m_run, &QPushButton::clicked, this, [this] { Q_EMIT interpolateRequested(mode(), steps()); });
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const int i = m_list->row(item);
        if (i >= 0 && i < int(m_images.size()) && !m_images[std::size_t(i)].isNull()) Q_EMIT thumbnailClicked(i);
    });
    setAvailable(false, {});
}

InterpolationMode InterpolationStrip::mode() const { return InterpolationMode(m_mode->currentData().toInt()); }

void InterpolationStrip::setMode(InterpolationMode mode) {
    const int i = m_mode->findData(int(mode));
    if (i >= 0) m_mode->setCurrentIndex(i);
}

int InterpolationStrip::steps() const { return m_steps->value(); }
void InterpolationStrip::setSteps(int steps) { m_steps->setValue(steps); }

void InterpolationStrip::setAvailable(bool available, const QString& hint) {
    m_available = available;
    m_hint->setText(hint.isEmpty() ? tr("Ctrl+click a second image to interpolate between two") : hint);
    m_hint->setToolTip(m_hint->text());
    updateButton();
}

void InterpolationStrip::setBusy(bool busy) {
    m_busy = busy;
    updateButton();
}

void InterpolationStrip::updateButton() { m_run->setEnabled(m_available && !m_busy); }

void InterpolationStrip::resetThumbnails(int count) {
    m_list->clear();
    m_images.assign(std::size_t(std::max(0, count)), QImage());
    for (int i = 0; i < count; ++i) {
        auto* item = new QListWidgetItem(QIcon(thumbnailPixmap({}, kThumbnail)),
                                         count > 1 ? QStringLiteral("%1").arg(double(i) / (count - 1), 0, 'f', 2)
                                                   : QString(),
                                         m_list);
        item->setTextAlignment(Qt::AlignHCenter);
        item->setFlags(Qt::ItemIsEnabled);
    }
    m_list->setCurrentItem(nullptr);  // no step is picked yet
    m_list->setVisible(count > 0);
}

void InterpolationStrip::setThumbnail(int index, const QImage& image, const QString& tooltip) {
    if (index < 0 || index >= int(m_images.size())) return;
    m_images[std::size_t(index)] = image;
    QListWidgetItem* item = m_list->item(index);
    item->setIcon(QIcon(thumbnailPixmap(image, kThumbnail)));
    item->setToolTip(tooltip);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
}

int InterpolationStrip::thumbnailCount() const { return int(m_images.size()); }

QImage InterpolationStrip::thumbnail(int index) const {
    return index >= 0 && index < int(m_images.size()) ? m_images[std::size_t(index)] : QImage();
}

}  // namespace latent
