// The audio panel's views: WaveformView and SpectrogramView over one
// AudioViewData and one shared AudioViewRange — streaming growth, partial
// repaints, zoom, scroll, selection, scrubbing and the keyboard.
#include <QElapsedTimer>
#include <QPainter>
#include <QSignalSpy>
#include <QStyle>
#include <QVBoxLayout>
#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "UiTestSupport.h"
#include "latent/Chunk.h"
#include "widgets/AudioViewData.h"
#include "widgets/AudioViewRange.h"
#include "widgets/SpectrogramView.h"
#include "widgets/WaveformView.h"

using namespace latent;

namespace {

constexpr int kRate = 48000;

// Stereo: 1 s of silence, then a loud 440 Hz tone (left) and 3 kHz (right).
std::vector<float> silenceThenTone(qint64 frames) {
    std::vector<float> s(std::size_t(frames) * 2, 0.0f);
    for (qint64 f = kRate; f < frames; ++f) {
        const double t = double(f) / kRate;
        s[std::size_t(f) * 2] = float(0.8 * std::sin(2 * std::numbers::pi * 440.0 * t));
        s[std::size_t(f) * 2 + 1] = float(0.6 * std::sin(2 * std::numbers::pi * 3000.0 * t));
    }
    return s;
}

AudioBlock block(const std::vector<float>& all, qint64 start, qint64 frames, qint64 total, int channels = 2) {
    AudioBlock b;
    b.sampleRateHz = kRate;
    b.channels = channels;
    b.startFrame = start;
    b.totalFrames = total;
    const auto first = all.begin() + std::ptrdiff_t(start * channels);
    b.samples = makeSharedFloats(std::vector<float>(first, first + std::ptrdiff_t(frames * channels)));
    b.final = total >= 0 && start + frames >= total;
    return b;
}

void stream(AudioViewData& data, const std::vector<float>& all, qint64 blockFrames, bool announceTotal, int channels = 2) {
    const qint64 frames = qint64(all.size()) / channels;
    for (qint64 f = 0; f < frames; f += blockFrames) {
        AudioBlock b = block(all, f, std::min(blockFrames, frames - f), announceTotal ? frames : -1, channels);
        b.final = f + blockFrames >= frames;
        QVERIFY(data.appendBlock(b));
    }
}

// Share of pixels in column x, rows [y0, y1), that differ from `bg`.
double inkShare(const QImage& img, int x, int y0, int y1, QColor bg) {
    int ink = 0;
    for (int y = y0; y < y1; ++y) {
        const QColor c = img.pixelColor(x, y);
        if (std::abs(c.red() - bg.red()) + std::abs(c.green() - bg.green()) + std::abs(c.blue() - bg.blue()) > 30) ++ink;
    }
    return double(ink) / std::max(1, y1 - y0);
}

double meanLightness(const QImage& img, const QRect& r) {
    double sum = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) sum += img.pixelColor(x, y).lightnessF();
    return sum / double(r.width() * r.height());
}

// Records the rectangles a widget is asked to paint.
class PaintSpy : public QObject {
public:
    explicit PaintSpy(QWidget* w) { w->installEventFilter(this); }
    QRegion painted;
    int count = 0;

protected:
    bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::Paint) {
            painted += static_cast<QPaintEvent*>(e)->region();
            ++count;
        }
        return false;
    }
};

void wheel(QWidget* w, QPointF pos, QPoint delta, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), delta, Qt::NoButton, mods, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(w, &e);
}

}  // namespace

class tst_WaveformView : public QObject {
    Q_OBJECT
private:
    // Two views over one take and one range, as the audio panel stacks them.
    struct Rig {
        AudioViewData data;
        AudioViewRange range;
        QWidget window;
        WaveformView* wave = nullptr;
        SpectrogramView* spec = nullptr;
        Rig() {
            auto* layout = new QVBoxLayout(&window);
            layout->setContentsMargins(0, 0, 0, 0);
            layout->setSpacing(0);
            wave = new WaveformView;
            spec = new SpectrogramView;
            spec->setRulerVisible(false);
            for (AudioTimeView* v : {static_cast<AudioTimeView*>(wave), static_cast<AudioTimeView*>(spec)}) {
                v->setData(&data);
                v->setRange(&range);
                layout->addWidget(v);
            }
            window.resize(900, 440);
            window.show();
        }
    };

private Q_SLOTS:
    void initTestCase() { test::prepareStudioHome(); }

    void blocksGrowTheViews() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        const std::vector<float> audio = silenceThenTone(2 * kRate);
        QSignalSpy grew(&rig.data, &AudioViewData::grew);
        stream(rig.data, audio, 4800, true);
        QCOMPARE(grew.count(), 20);
        QVERIFY(rig.data.isFinished());
        QCOMPARE(rig.range.totalFrames(), qint64(2 * kRate));
        QCOMPARE(rig.range.sampleRateHz(), kRate);
        QVERIFY(rig.range.fitMode());
        QCOMPARE(rig.range.visibleEnd(), double(2 * kRate));
        // 2 s keeps sample detail (1-frame buckets, 8 bytes per sample and
        // channel, ×4/3 for the coarser levels) plus ~60 kB of spectrogram.
        QVERIFY(rig.data.memoryBytes() < std::size_t(3) << 20);
        QCOMPARE(rig.data.peaks()->bucketFrames(rig.data.peaks()->finestLevel()), qint64(1));
        QCOMPARE(rig.data.spectrogram()->columns(), 1 + 2 * kRate / rig.data.spectrogram()->params().hop);

        const QImage img = rig.wave->grab().toImage();
        const QRect lane = rig.wave->laneRect(0);
        const QColor bg = img.pixelColor(rig.wave->contentRect().left() + 5, lane.top() + 2);
        const int silentX = int(rig.wave->frameToX(0.5 * kRate));
        const int loudX = int(rig.wave->frameToX(1.5 * kRate));
        QVERIFY2(inkShare(img, loudX, lane.top(), lane.bottom(), bg) > 0.6, "a loud tone fills its lane");
        QVERIFY2(inkShare(img, silentX, lane.top(), lane.bottom(), bg) < 0.1, "silence is a hairline");

        const QImage spec = rig.spec->grab().toImage();
        const QRect c = rig.spec->contentRect();
        const double quiet = meanLightness(spec, QRect(int(rig.spec->frameToX(0.2 * kRate)), c.top(), 40, c.height()));
        const double loud = meanLightness(spec, QRect(int(rig.spec->frameToX(1.4 * kRate)), c.top(), 40, c.height()));
        QVERIFY2(loud > quiet + 0.03, qPrintable(QStringLiteral("tone %1 vs silence %2").arg(loud).arg(quiet)));
        // The tone's band is bright: near 440 Hz on the frequency axis.
        const int toneY = int(std::lround(rig.spec->yForHz(440.0)));
        QVERIFY(spec.pixelColor(int(rig.spec->frameToX(1.5 * kRate)), toneY).lightnessF() > 0.5);
        QVERIFY(spec.pixelColor(int(rig.spec->frameToX(0.5 * kRate)), toneY).lightnessF() < 0.2);
    }

    void repaintsOnlyTheStripThatGrew() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        const std::vector<float> audio = silenceThenTone(4 * kRate);
        // The length is announced, so fit mode keeps its scale while it streams.
        QVERIFY(rig.data.appendBlock(block(audio, 0, kRate, 4 * kRate)));
        QApplication::processEvents();
        PaintSpy waveSpy(rig.wave), specSpy(rig.spec);
        QVERIFY(rig.data.appendBlock(block(audio, kRate, 4800, 4 * kRate)));
        QTRY_VERIFY(waveSpy.count > 0 && specSpy.count > 0);
        const int width = rig.wave->contentRect().width();
        QVERIFY2(waveSpy.painted.boundingRect().width() < width / 10,
                 qPrintable(QStringLiteral("painted %1 of %2 px").arg(waveSpy.painted.boundingRect().width()).arg(width)));
        QVERIFY(specSpy.painted.boundingRect().width() < width / 10);
        // The strip is where the block landed.
        const int x = int(rig.wave->frameToX(kRate + 2400));
        QVERIFY(waveSpy.painted.boundingRect().contains(QPoint(x, rig.wave->contentRect().center().y())));
    }

    void wheelZoomsAroundTheCursorAndShiftScrolls() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        stream(rig.data, silenceThenTone(2 * kRate), 9600, true);
        const QPointF at(rig.wave->contentRect().left() + 300.0, rig.wave->contentRect().center().y());
        const double under = rig.wave->xToFrame(at.x());
        const double span = rig.range.visibleFrames();
        wheel(rig.wave, at, QPoint(0, 120));
        QVERIFY(!rig.range.fitMode());
        QCOMPARE(rig.range.visibleFrames(), span / 1.25);
        QVERIFY(std::abs(rig.wave->xToFrame(at.x()) - under) < 1.0);
        wheel(rig.wave, at, QPoint(0, 240));
        QVERIFY(std::abs(rig.wave->xToFrame(at.x()) - under) < 1.0);
        // Shift+wheel scrolls: same span, later start.
        const double before = rig.range.visibleStart(), zoomed = rig.range.visibleFrames();
        wheel(rig.wave, at, QPoint(0, -120), Qt::ShiftModifier);
        QCOMPARE(rig.range.visibleFrames(), zoomed);
        QVERIFY(rig.range.visibleStart() > before);
        // A horizontal wheel scrolls too.
        const double after = rig.range.visibleStart();
        wheel(rig.wave, at, QPoint(120, 0));
        QVERIFY(rig.range.visibleStart() < after);
        // Zooming far out fits again.
        wheel(rig.wave, at, QPoint(0, -120 * 20));
        QVERIFY(rig.range.fitMode());
        QCOMPARE(rig.range.visibleStart(), 0.0);
    }

    void dragSelectsAndClickScrubs() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        stream(rig.data, silenceThenTone(2 * kRate), 9600, true);
        const int y = rig.wave->contentRect().center().y();
        const int x1 = rig.wave->contentRect().left() + 200, x2 = rig.wave->contentRect().left() + 450;
        QTest::mousePress(rig.wave, Qt::LeftButton, Qt::NoModifier, QPoint(x1, y));
        QTest::mouseMove(rig.wave, QPoint(x1 + 100, y));
        QTest::mouseMove(rig.wave, QPoint(x2, y));
        QTest::mouseRelease(rig.wave, Qt::LeftButton, Qt::NoModifier, QPoint(x2, y));
        QVERIFY(rig.range.hasSelection());
        QCOMPARE(rig.range.selectionStart(), rig.wave->frameAt(x1));
        QCOMPARE(rig.range.selectionEnd(), rig.wave->frameAt(x2));
        // Shift+click extends it from its far end.
        const int x3 = rig.wave->contentRect().left() + 600;
        QTest::mouseClick(rig.wave, Qt::LeftButton, Qt::ShiftModifier, QPoint(x3, y));
        QCOMPARE(rig.range.selectionStart(), rig.wave->frameAt(x1));
        QCOMPARE(rig.range.selectionEnd(), rig.wave->frameAt(x3));

        // A click moves the playhead, asks to scrub there and clears the selection.
        QSignalSpy scrub(rig.wave, &AudioTimeView::scrubRequested);
        const int xc = rig.wave->contentRect().left() + 333;
        QTest::mouseClick(rig.wave, Qt::LeftButton, Qt::NoModifier, QPoint(xc, y));
        QCOMPARE(scrub.count(), 1);
        const qint64 frame = scrub.at(0).at(0).toLongLong();
        QCOMPARE(frame, rig.wave->frameAt(xc));
        QVERIFY(std::abs(double(frame) - double(xc - rig.wave->contentRect().left()) *
                                             (2.0 * kRate / rig.wave->contentRect().width())) <= 1.0);
        QCOMPARE(rig.range.playhead(), frame);
        QVERIFY(!rig.range.hasSelection());

        // Dragging on the ruler scrubs continuously.
        const int ry = rig.wave->rulerRect().center().y();
        QTest::mousePress(rig.wave, Qt::LeftButton, Qt::NoModifier, QPoint(x1, ry));
        QTest::mouseMove(rig.wave, QPoint(x1 + 50, ry));
        QTest::mouseMove(rig.wave, QPoint(x1 + 120, ry));
        QTest::mouseRelease(rig.wave, Qt::LeftButton, Qt::NoModifier, QPoint(x1 + 120, ry));
        QVERIFY(scrub.count() >= 4);
        QCOMPARE(rig.range.playhead(), rig.wave->frameAt(x1 + 120));
        QVERIFY(!rig.range.hasSelection());

        // Double-click selects all; the spectrogram view scrubs as well.
        QTest::mouseDClick(rig.spec, Qt::LeftButton, Qt::NoModifier, rig.spec->contentRect().center());
        QCOMPARE(rig.range.selectionStart(), qint64(0));
        QCOMPARE(rig.range.selectionEnd(), qint64(2 * kRate));
        QSignalSpy specScrub(rig.spec, &AudioTimeView::scrubRequested);
        QTest::mouseClick(rig.spec, Qt::LeftButton, Qt::NoModifier, QPoint(xc, rig.spec->contentRect().center().y()));
        QCOMPARE(specScrub.count(), 1);
        QCOMPARE(specScrub.at(0).at(0).toLongLong(), frame);  // the views line up frame for frame
    }

    void viewsShareOneRange() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        stream(rig.data, silenceThenTone(2 * kRate), 9600, true);
        QCOMPARE(rig.wave->range(), &rig.range);
        QCOMPARE(rig.spec->range(), &rig.range);
        PaintSpy specSpy(rig.spec);
        wheel(rig.wave, QPointF(rig.wave->contentRect().left() + 100.0, 50), QPoint(0, 360));
        QTRY_VERIFY(specSpy.count > 0);  // zooming one view repaints the other
        for (double x : {100.0, 400.0, 800.0}) QCOMPARE(rig.spec->xToFrame(x), rig.wave->xToFrame(x));
        rig.range.setSelection(1000, 5000);
        rig.range.setPlayhead(24000);
        QCOMPARE(rig.spec->range()->selectionEnd(), qint64(5000));
        // A view given no range gets a private one again.
        rig.spec->setRange(nullptr);
        QVERIFY(rig.spec->range() != &rig.range);
        QVERIFY(rig.spec->range()->fitMode());
    }

    void keyboard() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        stream(rig.data, silenceThenTone(2 * kRate), 9600, true);
        rig.wave->setFocus();
        const double span = rig.range.visibleFrames();
        QTest::keyClick(rig.wave, Qt::Key_Plus);
        QVERIFY(rig.range.visibleFrames() < span);
        QTest::keyClick(rig.wave, Qt::Key_Right);
        QVERIFY(rig.range.visibleStart() > 0);
        QSignalSpy scrub(rig.wave, &AudioTimeView::scrubRequested);
        QTest::keyClick(rig.wave, Qt::Key_End);
        QCOMPARE(rig.range.playhead(), qint64(2 * kRate));
        QCOMPARE(rig.range.visibleEnd(), double(2 * kRate));
        QTest::keyClick(rig.wave, Qt::Key_Home);
        QCOMPARE(rig.range.playhead(), qint64(0));
        QCOMPARE(rig.range.visibleStart(), 0.0);
        QCOMPARE(scrub.count(), 2);
        QTest::keyClick(rig.wave, Qt::Key_A, Qt::ControlModifier);
        QVERIFY(rig.range.hasSelection());
        QTest::keyClick(rig.wave, Qt::Key_Escape);
        QVERIFY(!rig.range.hasSelection());
        QTest::keyClick(rig.wave, Qt::Key_Minus);
        QTest::keyClick(rig.wave, Qt::Key_F);
        QVERIFY(rig.range.fitMode());
    }

    void blocksArePlacedByTheirPosition() {
        AudioViewData data;
        const std::vector<float> audio = silenceThenTone(kRate / 2);  // all silence
        std::vector<float> loud(2 * 1000, 0.5f);
        QVERIFY(data.appendBlock(block(audio, 0, 1000, -1)));
        // A gap is silence; a repeated block adds nothing.
        AudioBlock later = block(loud, 0, 1000, -1);
        later.startFrame = 3000;
        QVERIFY(data.appendBlock(later));
        QCOMPARE(data.frames(), qint64(4000));
        QCOMPARE(data.peaks()->column(1024, 2944)[0].max, 0.0f);  // whole 64-frame buckets of the gap
        QCOMPARE(data.peaks()->column(3000, 4000)[0].max, 0.5f);
        QVERIFY(data.appendBlock(later));
        QCOMPARE(data.frames(), qint64(4000));
        // Another format is refused; clear() starts a new take.
        AudioBlock mono = block(loud, 0, 1000, -1, 1);
        mono.startFrame = 4000;
        QVERIFY(!data.appendBlock(mono));
        QSignalSpy cleared(&data, &AudioViewData::cleared);
        data.clear();
        QCOMPARE(cleared.count(), 1);
        QVERIFY(data.isEmpty());
        QVERIFY(!data.peaks());
        QVERIFY(data.appendBlock(block(loud, 0, 2000, -1, 1)));
        QCOMPARE(data.channels(), 1);
        // The analysis follows the rate: ~21 ms windows.
        QCOMPARE(data.melParamsFor(48000).fftSize, 1024);
        QCOMPARE(data.melParamsFor(16000).fftSize, 512);
        QCOMPARE(data.melParamsFor(16000).hop, 128);
    }

    void clearingResetsTheViews() {
        Rig rig;
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        stream(rig.data, silenceThenTone(2 * kRate), 9600, false);
        rig.range.setSelection(10, 20000);
        wheel(rig.wave, QPointF(300, 100), QPoint(0, 120));
        rig.data.clear();
        QVERIFY(rig.range.fitMode());
        QVERIFY(!rig.range.hasSelection());
        QCOMPARE(rig.range.totalFrames(), qint64(0));
        // Empty views show their placeholder and ignore the mouse.
        QSignalSpy scrub(rig.wave, &AudioTimeView::scrubRequested);
        QTest::mouseClick(rig.wave, Qt::LeftButton, Qt::NoModifier, rig.wave->contentRect().center());
        QCOMPARE(scrub.count(), 0);
        QVERIFY(!rig.wave->grab().isNull());
        QVERIFY(!rig.wave->accessibleName().isEmpty());
        QVERIFY(!rig.spec->accessibleName().isEmpty());
        QVERIFY(!rig.wave->toolTip().isEmpty());
    }

    void longTakesStayBounded() {
        // 10 minutes of 48 kHz stereo in 1 s blocks: summaries only.
        AudioViewData data;
        WaveformView wave;
        SpectrogramView spec;
        wave.setData(&data);
        spec.setData(&data);
        spec.setRange(wave.range());
        wave.resize(1200, 200);
        spec.resize(1200, 200);
        std::vector<float> second(std::size_t(2 * kRate));
        std::mt19937 rng(1);
        std::normal_distribution<float> noise(0.0f, 0.2f);
        for (float& v : second) v = noise(rng);
        for (int s = 0; s < 600; ++s) {
            AudioBlock b = block(second, 0, kRate, -1);
            b.startFrame = qint64(s) * kRate;
            QVERIFY(data.appendBlock(b));
        }
        QCOMPARE(data.frames(), qint64(600) * kRate);
        // Peaks ~10 MB + spectrogram ~24 MB, against 230 MB of samples.
        QVERIFY2(data.memoryBytes() < 40u << 20, qPrintable(QString::number(data.memoryBytes())));
        QElapsedTimer timer;
        timer.start();
        QImage a = wave.grab().toImage(), b = spec.grab().toImage();
        QVERIFY(!a.isNull() && !b.isNull());
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    // A picture of both views (dark theme, a rich test signal); saved when
    // LATENT_AUDIO_VIEW_PNG names a file.
    void screenshot() {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        dark.setColor(QPalette::WindowText, QColor(0xe3, 0xe5, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x24));
        dark.setColor(QPalette::Text, QColor(0xe3, 0xe5, 0xe8));
        dark.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x2a));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xfd));
        Rig rig;
        rig.window.setPalette(dark);
        rig.window.resize(1100, 520);
        QVERIFY(QTest::qWaitForWindowExposed(&rig.window));
        // 6 s: a rising chirp with harmonics, a chord, noise bursts, drum-like clicks.
        const qint64 frames = 6 * kRate;
        std::vector<float> s(std::size_t(frames) * 2);
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(0.0f, 1.0f);
        double phase = 0;
        for (qint64 f = 0; f < frames; ++f) {
            const double t = double(f) / kRate;
            double l = 0, r = 0;
            if (t < 3.0) {
                const double hz = 150.0 * std::pow(2.0, t * 1.6);
                phase += 2 * std::numbers::pi * hz / kRate;
                const double env = 0.6 * std::min(1.0, t * 8) * (0.6 + 0.4 * std::sin(2 * std::numbers::pi * 2 * t));
                for (int h = 1; h <= 5; ++h) l += env / h * std::sin(h * phase);
                r = 0.7 * l;
            } else {
                const double u = t - 3.0;
                const double env = std::exp(-1.2 * std::fmod(u, 1.0));
                for (double hz : {261.6, 329.6, 392.0, 523.3}) l += 0.18 * env * std::sin(2 * std::numbers::pi * hz * t);
                r = l;
                const double beat = std::fmod(u, 0.5);
                if (beat < 0.08) {
                    const double n = 0.5 * std::exp(-beat * 60) * noise(rng);
                    l += n;
                    r += n * 0.8;
                }
            }
            s[std::size_t(f) * 2] = float(std::clamp(l, -1.0, 1.0));
            s[std::size_t(f) * 2 + 1] = float(std::clamp(r, -1.0, 1.0));
        }
        stream(rig.data, s, 4096, true);
        rig.range.setSelection(qint64(1.2 * kRate), qint64(2.1 * kRate));
        rig.range.setPlayhead(qint64(3.6 * kRate));
        QApplication::processEvents();
        const QImage shot = rig.window.grab().toImage();
        QVERIFY(!shot.isNull());
        const QString path = qEnvironmentVariable("LATENT_AUDIO_VIEW_PNG");
        if (!path.isEmpty()) QVERIFY(shot.save(path));

        // The light theme, zoomed in on a drum hit (past AudioPeaks' 64-frame buckets).
        QPalette light = QApplication::style()->standardPalette();
        light.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
        light.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xe4));
        rig.window.setPalette(light);
        rig.range.setVisibleRange(3.47 * kRate, 3.62 * kRate);
        QVERIFY(!rig.range.fitMode());
        QApplication::processEvents();
        const QImage zoomed = rig.window.grab().toImage();
        QVERIFY(!zoomed.isNull());
        if (!path.isEmpty()) QVERIFY(zoomed.save(QString(path).replace(QLatin1String(".png"), QLatin1String("-light.png"))));
        // Closer still: single samples (kept while the take fits the peaks' budget).
        QCOMPARE(rig.data.peaks()->finestLevel(), 0);
        QCOMPARE(rig.data.peaks()->bucketFrames(0), qint64(1));
        rig.range.setVisibleRange(3.5 * kRate, 3.5 * kRate + 120);
        QApplication::processEvents();
        const QImage samples = rig.window.grab().toImage();
        if (!path.isEmpty()) QVERIFY(samples.save(QString(path).replace(QLatin1String(".png"), QLatin1String("-samples.png"))));
    }
};

QTEST_MAIN(tst_WaveformView)
#include "tst_WaveformView.moc"
