#pragma once
// Below the canvas: interpolation between the two selected images. Mode
// (linear or spherical), step count (3–16) and "Interpolate"; the decoded
// steps come back as a row of thumbnails, and clicking one asks the panel to
// make it the selected image's new base latent.
#include <QImage>
#include <QWidget>

#include "panels/image/LatentMath.h"

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace latent {

class InterpolationStrip : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinSteps = 3;
    static constexpr int kMaxSteps = 16;
    static constexpr int kThumbnail = 72;  // px

    explicit InterpolationStrip(QWidget* parent = nullptr);

    InterpolationMode mode() const;
    void setMode(InterpolationMode mode);
    int steps() const;
    void setSteps(int steps);

    // Whether two compatible images are selected; `hint` says what to do
    // otherwise, or what will be interpolated.
    void setAvailable(bool available, const QString& hint);
    bool isAvailable() const { return m_available; }
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }

    // Empty placeholder cells for a new run; hides the row when count is 0.
    void resetThumbnails(int count);
    void setThumbnail(int index, const QImage& image, const QString& tooltip);
    int thumbnailCount() const;
    QImage thumbnail(int index) const;

    QPushButton* interpolateButton() const { return m_run; }
    QListWidget* thumbnails() const { return m_list; }

Q_SIGNALS:
    void interpolateRequested(latent::InterpolationMode mode, int steps);
    void thumbnailClicked(int index);

private:
    void updateButton();

    QComboBox* m_mode = nullptr;
    QSpinBox* m_steps = nullptr;
    QPushButton* m_run = nullptr;
    QLabel* m_hint = nullptr;
    QListWidget* m_list = nullptr;
    std::vector<QImage> m_images;
    bool m_available = false;
    bool m_busy = false;
};

}  // namespace latent
