// AudioFileReader (declared in latent/media/AudioFile.h): libsndfile reads a
// block, ChannelMixResampler converts it with one persistent SRC_STATE, and
// what the caller did not take yet waits in `pending`.
#include <algorithm>
#include <cmath>
#include <memory>

#include "latent/Error.h"
#include "latent/media/AudioFile.h"
#include "media/ChannelMixResampler.h"
#include "media/SndfileReader.h"

namespace latent {

namespace {

// Converted samples one source block may give at most (about 1 MB of floats):
// the source block shrinks when the rate goes up or channels are added.
constexpr double kMaxBlockOutputSamples = 262144;
constexpr std::int64_t kMaxBlockFrames = 16384;

}  // namespace

struct AudioFileReader::State {
    std::unique_ptr<SndfileReader> reader;
    std::unique_ptr<ChannelMixResampler> converter;
    int outRateHz = 0;
    int outChannels = 0;
    std::int64_t blockFrames = 0;
    std::vector<std::string> notices;
    std::vector<float> block;
    std::vector<float> pending;  // converted samples not yet returned, from pendingOffset on
    std::size_t pendingOffset = 0;
    bool sourceDone = false;

    std::int64_t pendingFrames() const { return std::int64_t(pending.size() - pendingOffset) / outChannels; }
};

AudioFileReader::AudioFileReader(const std::filesystem::path& path, const AudioReadOptions& options)
    : m_state(std::make_unique<State>()) {
    checkAudioReadOptions(options);
    State& s = *m_state;
    s.reader = SndfileReader::openFile(path);
    const AudioFileInfo& info = s.reader->info();
    s.outRateHz = options.targetRateHz > 0 ? options.targetRateHz : info.sampleRateHz;
    s.outChannels = options.targetChannels > 0 ? options.targetChannels : info.channels;
    s.converter = std::make_unique<ChannelMixResampler>(info.sampleRateHz, info.channels, s.outRateHz, s.outChannels);
    s.notices = audioConversionNotices(info, s.outRateHz, s.outChannels);
    const double perFrame = std::max(1.0, s.converter->ratio()) * std::max(info.channels, s.outChannels);
    s.blockFrames = std::clamp(std::int64_t(kMaxBlockOutputSamples / perFrame), std::int64_t(64), kMaxBlockFrames);
    s.block.resize(std::size_t(s.blockFrames) * std::size_t(info.channels));
}

AudioFileReader::~AudioFileReader() = default;

const AudioFileInfo& AudioFileReader::info() const { return m_state->reader->info(); }
int AudioFileReader::outputRateHz() const { return m_state->outRateHz; }
int AudioFileReader::outputChannels() const { return m_state->outChannels; }
const std::vector<std::string>& AudioFileReader::notices() const { return m_state->notices; }

bool AudioFileReader::atEnd() const { return m_state->sourceDone && m_state->pendingFrames() == 0; }

std::vector<float> AudioFileReader::read(std::int64_t maxFrames) {
    if (maxFrames < 1)
        throw Error(ErrorKind::BadArgument, "AudioFileReader::read needs at least 1 frame, not " +
                                                std::to_string(maxFrames));
    State& s = *m_state;
    while (!s.sourceDone && s.pendingFrames() < maxFrames) {
        // Drop what was returned before the buffer grows again.
        if (s.pendingOffset > 0) {
            s.pending.erase(s.pending.begin(), s.pending.begin() + std::ptrdiff_t(s.pendingOffset));
            s.pendingOffset = 0;
        }
        const std::int64_t got = s.reader->read(s.block.data(), s.blockFrames);
        if (got > 0) {
            s.converter->process(s.block.data(), got, s.pending);
            continue;
        }
        s.converter->finish(s.pending);
        s.sourceDone = true;
        if (std::string shortfall = s.reader->shortfallNotice(); !shortfall.empty())
            s.notices.push_back(std::move(shortfall));
    }
    const std::int64_t take = std::min(maxFrames, s.pendingFrames());
    const std::size_t n = std::size_t(take) * std::size_t(s.outChannels);
    std::vector<float> out(s.pending.begin() + std::ptrdiff_t(s.pendingOffset),
                           s.pending.begin() + std::ptrdiff_t(s.pendingOffset + n));
    s.pendingOffset += n;
    if (s.pendingOffset == s.pending.size()) {
        s.pending.clear();
        s.pendingOffset = 0;
    }
    return out;
}

}  // namespace latent
