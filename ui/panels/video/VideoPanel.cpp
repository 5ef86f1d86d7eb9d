#include "panels/video/VideoPanel.h"

#include <QLabel>
#include <QVBoxLayout>

#include "widgets/Canvas.h"
#include "widgets/FrameImage.h"

namespace latent {

VideoPanel::VideoPanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Video, studio, parent) {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_info = new QLabel(tr("Frames stream in here as they are generated; a timeline and MP4 export follow."), box);
    m_info->setObjectName(QStringLiteral("videoInfo"));
    m_info->setEnabled(false);
    layout->addWidget(m_info);
    m_canvas = new Canvas(box);
    m_canvas->setPlaceholderText(tr("Video frames appear here"));
    layout->addWidget(m_canvas, 1);
    setOutputWidget(box);
    finishSetup();
}

void VideoPanel::jobStarting(const JobRequest&) {
    m_frames = 0;
    m_canvas->clear();
}

void VideoPanel::chunkArrived(const JobInfo&, const Chunk& chunk) {
    const auto* frame = std::get_if<VideoFrame>(&chunk);
    if (!frame) return;
    const QImage img = imageFromFrame(frame->image);
    if (img.isNull()) return;
    ++m_frames;
    m_canvas->setFrame(0, img);
    m_info->setEnabled(true);
    m_info->setText(tr("Frame %1 · %2 fps · %3 × %4 px")
                        .arg(frame->image.index + 1)
                        .arg(frame->fps(), 0, 'g', 4)
                        .arg(img.width())
                        .arg(img.height()));
}

}  // namespace latent
