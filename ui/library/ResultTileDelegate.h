#pragma once
// One result as a tile of the library's grid: the image's thumbnail, or for
// a text its first lines on a card (the prompt in bold, then what the model
// wrote), with a caption (model; seed and time), a star for favourites and a
// placeholder when its files are gone. Tiles all have one
// size, so the view lays out thousands without asking each for its size.
#include <QStyledItemDelegate>

namespace latent {

class ResultTileDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kImageSide = 140;  // the picture (or text card) area
    static constexpr int kPadding = 5;

    explicit ResultTileDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    void paintImage(QPainter* p, const QRect& area, const QModelIndex& index) const;
    void paintAudio(QPainter* p, const QRect& area, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    void paintText(QPainter* p, const QRect& area, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    void paintMissing(QPainter* p, const QRect& area, const QStyleOptionViewItem& option) const;
    void paintCaption(QPainter* p, const QRect& area, const QStyleOptionViewItem& option, const QModelIndex& index) const;
};

}  // namespace latent
