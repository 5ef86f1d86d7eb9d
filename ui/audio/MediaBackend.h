#pragma once
// Picks the Qt Multimedia backend before anything loads one. Call it in
// main(), before the QApplication is created.
//
// Qt 6.4 on Linux defaults to GStreamer, which decodes nothing without the
// GStreamer codec plugin packages (with only gstreamer1.0-plugins-base, as on
// Debian 12 here, QMediaFormat lists 0 decodable audio codecs; FFmpeg lists
// 11) and has been reported to stall with PulseAudio 16. Debian 12's
// libqt6multimedia6 (6.4.2) packages both backends in plugins/multimedia/:
// libgstreamermediaplugin.so and libffmpegmediaplugin.so (libav* 5.1).
// So: if QT_MEDIA_BACKEND is unset and the FFmpeg plugin is installed, use
// "ffmpeg"; a value the user set wins, and without the plugin Qt's default
// stays.
//
// QAudioSink itself does not depend on the backend in Qt 6.4: it talks to
// PulseAudio (or ALSA) inside libQt6Multimedia either way.
#include <QString>

namespace latent {

void chooseMediaBackend();
// The backend chosen (the value of QT_MEDIA_BACKEND), empty for Qt's default.
QString mediaBackendName();
// Whether the plugin for `backend` ("ffmpeg", "gstreamer") is installed in a
// Qt plugin folder.
bool mediaBackendInstalled(const QString& backend);

}  // namespace latent
