// The start-up floor for a Qt Widgets app on this machine: QApplication, one
// QMainWindow, shown; prints when, like the studio does under
// LATENT_STUDIO_EXIT_WHEN_SHOWN. bench_startup runs both.
#include <QApplication>
#include <QLabel>
#include <QMainWindow>
#include <QTimer>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QMainWindow window;
    window.setCentralWidget(new QLabel(QStringLiteral("floor")));
    window.resize(1280, 800);
    window.show();
    QTimer::singleShot(0, &window, [] {
        std::printf("window-shown-monotonic-ns %lld\n",
                    static_cast<long long>(std::chrono::steady_clock::now().time_since_epoch().count()));
        std::fflush(stdout);
        QCoreApplication::quit();
    });
    return app.exec();
}
