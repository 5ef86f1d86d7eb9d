#include "library/ResultTileDelegate.h"

#include <QApplication>
#include <QDateTime>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include "library/ResultListModel.h"

namespace latent {
namespace {

constexpr int kMaxTextLines = 9;

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QFont smaller(const QFont& font) {
    QFont f = font;
    f.setPointSizeF(f.pointSizeF() * 0.85);
    return f;
}

}  // namespace

ResultTileDelegate::ResultTileDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize ResultTileDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    const int caption = option.fontMetrics.height() + QFontMetrics(smaller(option.font)).height() + 4;
    return {kImageSide + 2 * kPadding, kImageSide + caption + 2 * kPadding};
}

void ResultTileDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    const QRect tile = option.rect.adjusted(1, 1, -1, -1);
    if (selected || hovered) {
        QColor back = pal.color(QPalette::Highlight);
        back.setAlpha(selected ? 90 : 35);
        p->setPen(selected ? QPen(pal.color(QPalette::Highlight), 1.5) : Qt::NoPen);
        p->setBrush(back);
        p->drawRoundedRect(tile, 6, 6);
    }
    const QRect area(option.rect.left() + kPadding, option.rect.top() + kPadding, kImageSide, kImageSide);
    if (index.data(ResultListModel::MissingRole).toBool()) paintMissing(p, area, option);
    else if (index.data(ResultListModel::ModalityRole).toString() == QLatin1String("image")) paintImage(p, area, index);
    else if (index.data(ResultListModel::ModalityRole).toString() == QLatin1String("audio")) paintAudio(p, area, option, index);
    else paintText(p, area, option, index);

    if (index.data(ResultListModel::FavouriteRole).toBool()) {
        static const QIcon star(QStringLiteral(":/icons/star.svg"));
        star.paint(p, QRect(area.right() - 20, area.top() + 3, 18, 18));
    }
    paintCaption(p, area, option, index);
    p->restore();
}

void ResultTileDelegate::paintCaption(QPainter* p, const QRect& area, const QStyleOptionViewItem& option,
                                      const QModelIndex& index) const {
    // Which model, which seed, when: what tells two similar tiles apart.
    const QPalette& pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = pal.color(QPalette::Text);
    const QColor dim = mix(text, pal.color(QPalette::Base), 0.4);
    int y = area.bottom() + 3;
    const QString model = index.data(ResultListModel::ModelRole).toString();
    p->setFont(option.font);
    p->setPen(selected ? text : mix(text, pal.color(QPalette::Base), 0.2));
    p->drawText(QRect(area.left(), y, kImageSide, option.fontMetrics.height()), Qt::AlignHCenter | Qt::AlignVCenter,
                option.fontMetrics.elidedText(model, Qt::ElideRight, kImageSide));
    y += option.fontMetrics.height();
    const QDateTime made = index.data(ResultListModel::CreatedRole).toDateTime();
    const QString when = made.date() == QDate::currentDate() ? QLocale().toString(made.time(), QLocale::ShortFormat)
                                                             : QLocale().toString(made.date(), QLocale::ShortFormat);
    const QString second = tr("seed %1 · %2").arg(index.data(ResultListModel::SeedRole).toULongLong()).arg(when);
    const QFont small = smaller(option.font);
    const QFontMetrics fm(small);
    p->setFont(small);
    p->setPen(dim);
    p->drawText(QRect(area.left(), y, kImageSide, fm.height()), Qt::AlignHCenter | Qt::AlignVCenter,
                fm.elidedText(second, Qt::ElideMiddle, kImageSide));
}

void ResultTileDelegate::paintImage(QPainter* p, const QRect& area, const QModelIndex& index) const {
    const QImage image = index.data(ResultListModel::ThumbnailRole).value<QImage>();
    if (image.isNull()) return;
    // Small images (28 px Fashion-MNIST) scale up with crisp pixels; large
    // ones down smoothly.
    const QSize size = image.size().scaled(area.size(), Qt::KeepAspectRatio);
    const QRect target(area.left() + (area.width() - size.width()) / 2, area.top() + (area.height() - size.height()) / 2,
                       size.width(), size.height());
    p->setRenderHint(QPainter::SmoothPixmapTransform, image.width() >= target.width());
    QPainterPath clip;
    clip.addRoundedRect(target, 4, 4);
    p->setClipPath(clip);
    p->drawImage(target, image);
    p->setClipping(false);
}

void ResultTileDelegate::paintAudio(QPainter* p, const QRect& area, const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const {
    const QPalette& pal = option.palette;
    p->setPen(QPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.18), 1));
    p->setBrush(pal.color(QPalette::Base));
    p->drawRoundedRect(area, 4, 4);
    // The recorder's waveform picture, centred; a sound without one keeps the plain tile.
    paintImage(p, area.adjusted(4, 4, -4, -4), index);
    static const QIcon icon(QStringLiteral(":/icons/audio.svg"));
    icon.paint(p, QRect(area.left() + 5, area.top() + 5, 14, 14));
}

void ResultTileDelegate::paintText(QPainter* p, const QRect& area, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const {
    const QPalette& pal = option.palette;
    p->setPen(QPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.18), 1));
    p->setBrush(pal.color(QPalette::Base));
    p->drawRoundedRect(area, 4, 4);
    static const QIcon icon(QStringLiteral(":/icons/text.svg"));
    icon.paint(p, QRect(area.left() + 5, area.top() + 5, 14, 14));

    const QFont font = smaller(option.font);
    const QFontMetrics fm(font);
    const QRect textRect = area.adjusted(7, 22, -7, -6);
    // The prompt (bold), then what the model wrote after it, as the panel shows them.
    const QString prompt = index.data(ResultListModel::PromptRole).toString();
    QString text = index.data(ResultListModel::TextPreviewRole).toString();
    int promptLength = 0;
    if (!prompt.isEmpty() && !text.startsWith(prompt)) {
        text.prepend(prompt);
        promptLength = int(prompt.size());
    }
    text.replace(QLatin1Char('\t'), QLatin1String("    "));
    // QTextLayout breaks lines only at a line separator, not at '\n'.
    text.replace(QLatin1Char('\n'), QChar::LineSeparator);
    QTextLayout layout(text, font);
    QTextOption wrap;
    wrap.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(wrap);
    if (promptLength > 0) {
        QTextLayout::FormatRange bold;
        bold.start = 0;
        bold.length = promptLength;
        bold.format.setFontWeight(QFont::Bold);
        layout.setFormats({bold});
    }
    const int maxLines = std::max(1, std::min(kMaxTextLines, textRect.height() / fm.lineSpacing()));
    layout.beginLayout();
    int lines = 0;
    int cut = -1;  // where the text that did not fit starts
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid()) break;
        line.setLineWidth(textRect.width());
        line.setPosition(QPointF(0, lines * fm.lineSpacing()));
        if (++lines == maxLines) {
            if (line.textStart() + line.textLength() < text.size()) cut = line.textStart();
            break;
        }
    }
    layout.endLayout();
    p->setPen(pal.color(QPalette::Text));
    p->save();
    p->setClipRect(textRect);
    p->translate(textRect.topLeft());
    // Every line but the last as laid out; the last ends in "…" when more follows.
    for (int i = 0; i < layout.lineCount(); ++i) {
        const QTextLine line = layout.lineAt(i);
        if (cut >= 0 && i == layout.lineCount() - 1) {
            const QString rest = text.mid(line.textStart()).simplified();
            p->setFont(font);
            p->drawText(QPointF(0, line.y() + fm.ascent()), fm.elidedText(rest, Qt::ElideRight, textRect.width()));
        } else {
            line.draw(p, QPointF(0, 0));
        }
    }
    p->restore();
}

void ResultTileDelegate::paintMissing(QPainter* p, const QRect& area, const QStyleOptionViewItem& option) const {
    const QPalette& pal = option.palette;
    QPen pen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.3), 1, Qt::DashLine);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(area.adjusted(1, 1, -1, -1), 4, 4);
    p->setPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.55));
    p->drawText(area, Qt::AlignCenter | Qt::TextWordWrap, tr("files missing"));
}

}  // namespace latent
