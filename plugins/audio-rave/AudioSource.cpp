#include "AudioSource.h"

#include <algorithm>

#include "latent/media/AudioConvert.h"
#include "latent/media/AudioFile.h"

namespace latent {
namespace {

class ClipSource final : public AudioSource {
public:
    ClipSource(const AudioClip& clip, int rateHz, int channels) : m_clip(convertAudio(clip, rateHz, channels, &m_notices)) {}
    std::vector<float> read(std::int64_t frames) override {
        const std::int64_t n = std::min(frames, m_clip.frames() - m_pos);
        const auto first = m_clip.samples.begin() + m_pos * m_clip.channels;
        std::vector<float> out(first, first + n * m_clip.channels);
        m_pos += n;
        return out;
    }
    std::int64_t totalFrames() const override { return m_clip.frames(); }
    const std::vector<std::string>& notices() const override { return m_notices; }

private:
    std::vector<std::string> m_notices;
    AudioClip m_clip;
    std::int64_t m_pos = 0;
};

class FileSource final : public AudioSource {
public:
    FileSource(const std::string& path, int rateHz, int channels)
        : m_reader(path, AudioReadOptions{rateHz, channels, 0}) {}
    std::vector<float> read(std::int64_t frames) override { return m_reader.read(frames); }
    std::int64_t totalFrames() const override { return -1; }
    const std::vector<std::string>& notices() const override { return m_reader.notices(); }

private:
    AudioFileReader m_reader;
};

}  // namespace

std::unique_ptr<AudioSource> makeClipSource(const AudioClip& clip, int rateHz, int channels) {
    return std::make_unique<ClipSource>(clip, rateHz, channels);
}

std::unique_ptr<AudioSource> makeFileSource(const std::string& path, int rateHz, int channels) {
    return std::make_unique<FileSource>(path, rateHz, channels);
}

}  // namespace latent
