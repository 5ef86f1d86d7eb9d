// Canvas lays batches out as a grid, composes them for saving, zooms and pans.
#include <QSignalSpy>
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
