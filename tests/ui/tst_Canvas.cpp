// Canvas lays batches out as a grid, composes them for saving, zooms and pans.
#include <QMimeData>
#include <QSignalSpy>
#include <QUrl>
#include <QtTest>

#include "UiTestSupport.h"
#include "widgets/Canvas.h"
#include "widgets/FrameImage.h"

using namespace latent;

namespace {
QImage solid(int w, int h, QColor c) {
    QImage img(w, h, QImage::Format_RGBA8888);
    img.fill(c);
    return img;
}
}  // namespace

class tst_Canvas : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void singleFrameIsTheImage() {
        Canvas c;
        QVERIFY(!c.hasImage());
        QVERIFY(c.image().isNull());
        c.setFrame(0, solid(30, 20, Qt::red));
        QVERIFY(c.hasImage());
        QCOMPARE(c.image().size(), QSize(30, 20));
        QCOMPARE(c.image().pixelColor(5, 5), QColor(Qt::red));
        c.clear();
        QVERIFY(!c.hasImage());
    }

    void batchFormsAGrid() {
        Canvas c;
        c.setExpectedCount(3);
        c.setFrame(2, solid(10, 10, Qt::blue));  // frames may arrive in any order
        QCOMPARE(c.frameCount(), 3);
        QVERIFY(c.frame(0).isNull());
        c.setFrame(0, solid(10, 10, Qt::green));
        c.setFrame(1, solid(10, 10, Qt::red));
        const QImage grid = c.image();
        QCOMPARE(grid.size(), QSize(2 * 10 + Canvas::kGap, 2 * 10 + Canvas::kGap));
        QCOMPARE(grid.pixelColor(0, 0), QColor(Qt::green));
        QCOMPARE(grid.pixelColor(10 + Canvas::kGap, 0), QColor(Qt::red));
        QCOMPARE(grid.pixelColor(0, 10 + Canvas::kGap), QColor(Qt::blue));
        QCOMPARE(grid.pixelColor(10 + Canvas::kGap, 10 + Canvas::kGap).alpha(), 0);  // empty cell
    }

    void zoomsAndFits() {
        Canvas c;
        c.resize(400, 300);
        c.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c));
        c.setFrame(0, solid(100, 100, Qt::white));
        QVERIFY(c.fitMode());
        const double fit = c.zoom();
        QVERIFY(fit > 2.0 && fit < 3.0);  // (300 - margin) / 100
        QSignalSpy zoomed(&c, &Canvas::zoomChanged);
        c.zoomActualSize();
        QCOMPARE(c.zoom(), 1.0);
        QVERIFY(!c.fitMode());
        c.zoomIn();
        QCOMPARE(c.zoom(), 1.25);
        c.zoomOut();
        QCOMPARE(c.zoom(), 1.0);
        // The wheel zooms in around the cursor.
        QWheelEvent wheel(QPointF(200, 150), c.mapToGlobal(QPointF(200, 150)), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(&c, &wheel);
        QCOMPARE(c.zoom(), 1.25);
        // Dragging pans and leaves fit mode; fit comes back on request.
        c.zoomToFit();
        QVERIFY(c.fitMode());
        QTest::mousePress(&c, Qt::LeftButton, Qt::NoModifier, QPoint(100, 100));
        QTest::mouseMove(&c, QPoint(140, 120));
        QTest::mouseRelease(&c, Qt::LeftButton, Qt::NoModifier, QPoint(140, 120));
        QVERIFY(!c.fitMode());
        QVERIFY(zoomed.count() >= 4);
        for (int i = 0; i < 100; ++i) c.zoomIn();
        QCOMPARE(c.zoom(), Canvas::kMaxZoom);
        c.grab();  // paints at the extreme zoom without trouble
    }

    void clickReportsTheCellAndDragDoesNot() {
        Canvas c;
        c.resize(400, 300);
        c.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c));
        for (int i = 0; i < 4; ++i) c.setFrame(i, solid(20, 20, Qt::darkGreen));
        QSignalSpy clicked(&c, &Canvas::cellClicked);
        const QPoint third = c.cellWidgetRect(2).center().toPoint();
        QCOMPARE(c.indexAt(third), 2);
        QTest::mouseClick(&c, Qt::LeftButton, Qt::NoModifier, third);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 2);
        QTest::mouseClick(&c, Qt::LeftButton, Qt::ControlModifier, c.cellWidgetRect(1).center().toPoint());
        QCOMPARE(clicked.last().at(0).toInt(), 1);
        QVERIFY(clicked.last().at(1).value<Qt::KeyboardModifiers>() & Qt::ControlModifier);
        // Outside every cell: -1.
        QTest::mouseClick(&c, Qt::LeftButton, Qt::NoModifier, QPoint(2, 2));
        QCOMPARE(clicked.last().at(0).toInt(), -1);
        // A press that moves is a pan, not a click.
        const int before = clicked.count();
        QTest::mousePress(&c, Qt::LeftButton, Qt::NoModifier, third);
        QTest::mouseMove(&c, third + QPoint(40, 10));
        QTest::mouseRelease(&c, Qt::LeftButton, Qt::NoModifier, third + QPoint(40, 10));
        QCOMPARE(clicked.count(), before);
        QVERIFY(!c.fitMode());
    }

    void showsSelectionUntilCleared() {
        Canvas c;
        c.resize(300, 300);
        for (int i = 0; i < 2; ++i) c.setFrame(i, solid(20, 20, Qt::white));
        c.setSelection(1, 0);
        QCOMPARE(c.selectedIndex(), 1);
        QCOMPARE(c.secondaryIndex(), 0);
        const QImage marked = c.grab().toImage();
        c.setSelection(-1);
        const QImage plain = c.grab().toImage();
        QVERIFY(marked != plain);  // the highlight shows
        // ... around the cell, never over its pixels.
        const QPoint inside = c.cellWidgetRect(1).center().toPoint();
        QCOMPARE(marked.pixelColor(inside), plain.pixelColor(inside));
        c.setSelection(1, 0);
        c.clear();
        QCOMPARE(c.selectedIndex(), -1);
        QCOMPARE(c.secondaryIndex(), -1);
    }

    void reportsDroppedFiles() {
        Canvas c;
        c.resize(200, 200);
        QVERIFY(c.acceptDrops());
        QSignalSpy dropped(&c, &Canvas::filesDropped);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/a.png")), QUrl(QStringLiteral("https://example.org/b.png"))});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&c, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&c, &drop);
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.first().at(0).toStringList(), QStringList{QStringLiteral("/tmp/a.png")});  // local files only
    }

    void convertsFramesDeeply() {
        std::vector<std::uint8_t> rgba(3 * 2 * 4, 0);
        rgba[0] = 255;  // first pixel red
        rgba[3] = 255;
        ImageFrame frame = makeImageFrame(3, 2, rgba);
        const QImage img = imageFromFrame(frame);
        QCOMPARE(img.size(), QSize(3, 2));
        QCOMPARE(img.format(), QImage::Format_RGBA8888);
        QCOMPARE(img.pixelColor(0, 0), QColor(255, 0, 0, 255));
        frame.width = 4;  // inconsistent with the buffer
        QVERIFY(imageFromFrame(frame).isNull());
    }
};

QTEST_MAIN(tst_Canvas)
#include "tst_Canvas.moc"
