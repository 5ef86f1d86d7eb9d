// audio_file: latent::decodeAudio (engine/src/media/AudioFile.cpp: libsndfile
// through a memory SF_VIRTUAL_IO, the studio's own WAV INFO reader,
// libsamplerate) on the input as a whole file, limited to 30 s and 4 M
// samples. A clip it accepts has 1–64 channels, a rate of 1–768 kHz, whole
// frames, finite samples in [-1, 1] and no more samples than the limits
// allow. A small one is encoded again (WAV float with its tags) and must
// decode to the same samples and tags; it is also decoded converted to
// 16 kHz mono, which must give about the expected length.
#include <cmath>

#include "FuzzSupport.h"
#include "latent/media/AudioFile.h"

namespace {

void checkClip(const latent::AudioClip& clip, const latent::AudioReadOptions& options) {
    FUZZ_CHECK(clip.channels >= 1 && clip.channels <= 64);
    FUZZ_CHECK(clip.sampleRateHz >= 1000 && clip.sampleRateHz <= 768000);
    FUZZ_CHECK(clip.samples.size() % std::size_t(clip.channels) == 0);
    FUZZ_CHECK(std::int64_t(clip.samples.size()) <= options.maxSamples);
    for (const float s : clip.samples) FUZZ_CHECK(std::isfinite(s) && s >= -1.0f && s <= 1.0f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    (void)fuzz::scratchDir();  // quiets the engine's logging
    const std::string_view input = fuzz::asView(data, size);
    AudioReadOptions options;
    options.maxSeconds = 30;
    options.maxSamples = std::int64_t(4) << 20;
    fuzz::rejectOnlyWithError([&] {
        std::vector<std::string> notices;
        AudioTags tags;
        const AudioClip clip = decodeAudio(input, options, &notices, &tags);
        checkClip(clip, options);
        for (const auto& [key, value] : tags) FUZZ_CHECK(!value.empty() && value.find('\0') == std::string::npos);
        if (clip.frames() == 0 || clip.samples.size() > (std::size_t(1) << 16)) return;

        // Tags the WAV writer can hold (each format has its limits) go along.
        AudioTags keep;
        std::size_t tagBytes = 0;
        for (const auto& [key, value] : tags)
            if (value.size() <= (key == "software" ? 96u : 4096u) && (tagBytes += value.size()) < 16384) keep[key] = value;
        fuzz::mustSucceed("re-encode and decode as WAV float", [&] {
            AudioTags backTags;
            const AudioClip back = decodeAudio(encodeAudio(clip, AudioFileFormat::WavFloat, keep), {}, nullptr, &backTags);
            FUZZ_CHECK(back.sampleRateHz == clip.sampleRateHz && back.channels == clip.channels);
            FUZZ_CHECK(back.samples == clip.samples);
            FUZZ_CHECK(backTags == keep);
        });
        AudioReadOptions convert = options;
        convert.targetRateHz = 16000;
        convert.targetChannels = 1;
        try {
            const AudioClip mono = decodeAudio(input, convert);
            checkClip(mono, convert);
            FUZZ_CHECK(mono.sampleRateHz == 16000 && mono.channels == 1);
            const double expected = double(clip.frames()) * 16000.0 / clip.sampleRateHz;
            FUZZ_CHECK(std::fabs(double(mono.frames()) - expected) <= expected * 0.01 + 64);
        } catch (const Error& e) {
            // The converted clip may pass a limit the plain one did not.
            FUZZ_CHECK(e.kind() == ErrorKind::BadArgument);
        }
    });
    return 0;
}
