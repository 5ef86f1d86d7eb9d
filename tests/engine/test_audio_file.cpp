// latent/media/AudioFile.h (libsndfile, libsamplerate) and
// latent/media/WaveformThumbnail.h. Every fixture is made here: encodeAudio
// writes WAV, FLAC and Ogg; AIFF and broken WAV headers are built byte by byte.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/media/AudioFile.h"
#include "latent/media/WaveformThumbnail.h"

namespace fs = std::filesystem;
using namespace latent;

namespace {

class AudioFile : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() /
                ("latent-audio-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static void write(const fs::path& path, const std::string& bytes) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
    }

    fs::path m_dir;
};

AudioClip sine(int rateHz, int channels, double seconds, double hz, float amplitude = 0.5f) {
    AudioClip clip;
    clip.sampleRateHz = rateHz;
    clip.channels = channels;
    const auto frames = std::int64_t(std::llround(seconds * rateHz));
    clip.samples.resize(std::size_t(frames) * std::size_t(channels));
    for (std::int64_t f = 0; f < frames; ++f)
        for (int c = 0; c < channels; ++c)
            clip.samples[std::size_t(f) * std::size_t(channels) + std::size_t(c)] =
                amplitude * float(std::sin(2 * std::numbers::pi * hz * double(f) / rateHz + c));
    return clip;
}

// Uniform noise in [-1, 1], the ends included.
AudioClip noise(int rateHz, int channels, std::int64_t frames) {
    AudioClip clip;
    clip.sampleRateHz = rateHz;
    clip.channels = channels;
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    clip.samples.resize(std::size_t(frames) * std::size_t(channels));
    for (float& s : clip.samples) s = dist(rng);
    clip.samples[0] = 1.0f;
    clip.samples[1] = -1.0f;
    return clip;
}

float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    float worst = 0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
    return worst;
}

// Positive-going zero crossings per second of one channel, over its middle half.
double crossingHz(const AudioClip& clip) {
    const std::int64_t frames = clip.frames();
    const std::int64_t begin = frames / 4, end = frames * 3 / 4;
    int crossings = 0;
    std::int64_t first = -1, last = -1;
    for (std::int64_t f = begin + 1; f < end; ++f) {
        const float prev = clip.samples[std::size_t(f - 1) * std::size_t(clip.channels)];
        const float cur = clip.samples[std::size_t(f) * std::size_t(clip.channels)];
        if (prev < 0 && cur >= 0) {
            if (first < 0) first = f;
            last = f;
            ++crossings;
        }
    }
    if (crossings < 2) return 0;
    return double(crossings - 1) * clip.sampleRateHz / double(last - first);
}

// A JSON provenance of over 6 KB with text in several scripts.
std::string longJsonComment() {
    std::string json = "{\"studio\":\"Latent Studio\",\"prompt\":\"";
    while (json.size() < 6200) json += "Grüße, ünïcödé — 日本語のテキスト 🎵 \\\"quoted\\\" ";
    json += "\",\"seed\":1234}";
    return json;
}

void putLe16(std::string& s, unsigned v) {
    s += char(v & 0xff);
    s += char((v >> 8) & 0xff);
}
void putLe32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff);
}
void putBe16(std::string& s, unsigned v) {
    s += char((v >> 8) & 0xff);
    s += char(v & 0xff);
}
void putBe32(std::string& s, std::uint32_t v) {
    for (int i = 3; i >= 0; --i) s += char((v >> (8 * i)) & 0xff);
}

// A 16-bit PCM WAV header as given (the fields need not make sense), then `data`.
std::string wavBytes(int channels, std::uint32_t rateHz, std::uint32_t dataBytes, const std::string& data) {
    std::string s = "RIFF";
    putLe32(s, std::uint32_t(36 + data.size()));
    s += "WAVEfmt ";
    putLe32(s, 16);
    putLe16(s, 1);  // PCM
    putLe16(s, unsigned(channels));
    putLe32(s, rateHz);
    putLe32(s, rateHz * std::uint32_t(std::max(channels, 1)) * 2);
    putLe16(s, unsigned(std::max(channels, 1) * 2));
    putLe16(s, 16);
    s += "data";
    putLe32(s, dataBytes);
    return s + data;
}

// A mono 16-bit AIFF at 8000 Hz holding `samples`.
std::string aiffBytes(const std::vector<std::int16_t>& samples) {
    std::string comm;
    putBe16(comm, 1);                                // channels
    putBe32(comm, std::uint32_t(samples.size()));    // frames
    putBe16(comm, 16);                               // bits
    // 8000 as an 80-bit extended float: exponent 16383 + 12, mantissa 8000 << 51.
    putBe16(comm, 16383 + 12);
    putBe32(comm, 0xFA000000u);
    putBe32(comm, 0);
    std::string ssnd;
    putBe32(ssnd, 0);  // offset
    putBe32(ssnd, 0);  // block size
    for (const std::int16_t v : samples) putBe16(ssnd, unsigned(std::uint16_t(v)));
    std::string body = "AIFF";
    body += "COMM";
    putBe32(body, std::uint32_t(comm.size()));
    body += comm;
    body += "SSND";
    putBe32(body, std::uint32_t(ssnd.size()));
    body += ssnd;
    std::string s = "FORM";
    putBe32(s, std::uint32_t(body.size()));
    return s + body;
}

template <typename F>
Error expectError(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no latent::Error thrown";
    return Error(ErrorKind::Invalid, "");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool anyContains(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return contains(l, part); });
}

}  // namespace

TEST_F(AudioFile, FormatForPathAndNames) {
    EXPECT_EQ(audioFormatForPath("a/b/loop.WAV"), AudioFileFormat::Wav16);
    EXPECT_EQ(audioFormatForPath("x.flac"), AudioFileFormat::Flac16);
    EXPECT_EQ(audioFormatForPath("x.ogg"), AudioFileFormat::OggVorbis);
    EXPECT_EQ(audioFormatForPath("x.OGA"), AudioFileFormat::OggVorbis);
    EXPECT_EQ(audioFormatForPath("x.mp3"), AudioFileFormat::Invalid);
    EXPECT_EQ(audioFormatForPath("wav"), AudioFileFormat::Invalid);
    EXPECT_STREQ(audioFormatName(AudioFileFormat::Wav16), "WAV 16-bit");
    EXPECT_STREQ(audioFormatName(AudioFileFormat::Flac24), "FLAC 24-bit");
    EXPECT_STREQ(audioFormatName(AudioFileFormat::WavFloat), "WAV 32-bit float");
    EXPECT_STREQ(audioFormatName(AudioFileFormat::OggVorbis), "Ogg Vorbis");
}

TEST_F(AudioFile, WavFloatRoundTripIsBitExact) {
    const AudioClip clip = noise(48000, 2, 5000);
    const AudioClip back = decodeAudio(encodeAudio(clip, AudioFileFormat::WavFloat));
    EXPECT_EQ(back.sampleRateHz, 48000);
    EXPECT_EQ(back.channels, 2);
    EXPECT_EQ(back.samples, clip.samples);
}

TEST_F(AudioFile, IntegerFormatsRoundTripWithinOneStep) {
    const AudioClip clip = noise(44100, 2, 20000);
    struct Case {
        AudioFileFormat format;
        double step;
    };
    for (const Case& c : {Case{AudioFileFormat::Wav16, 1.0 / 32768}, Case{AudioFileFormat::Flac16, 1.0 / 32768},
                          Case{AudioFileFormat::Wav24, 1.0 / 8388608}, Case{AudioFileFormat::Flac24, 1.0 / 8388608}}) {
        SCOPED_TRACE(audioFormatName(c.format));
        const AudioClip back = decodeAudio(encodeAudio(clip, c.format));
        ASSERT_EQ(back.samples.size(), clip.samples.size());
        EXPECT_EQ(back.channels, 2);
        EXPECT_EQ(back.sampleRateHz, 44100);
        const float err = maxAbsDiff(back.samples, clip.samples);
        EXPECT_LE(err, c.step * 1.0001);
        // One step is the most: a coarser format (or none at all) would fail here.
        EXPECT_GT(err, c.step * 0.25);
    }
}

TEST_F(AudioFile, IntegerFormatsClipOutOfRangeSamples) {
    AudioClip clip;
    clip.sampleRateHz = 8000;
    clip.channels = 1;
    clip.samples = {2.0f, -3.0f, 0.5f, std::nanf(""), INFINITY, -INFINITY};
    for (const auto format : {AudioFileFormat::Wav16, AudioFileFormat::Flac24}) {
        const AudioClip back = decodeAudio(encodeAudio(clip, format));
        ASSERT_EQ(back.samples.size(), clip.samples.size());
        EXPECT_NEAR(back.samples[0], 1.0f, 1e-4f);  // clipped, not wrapped to a negative value
        EXPECT_NEAR(back.samples[1], -1.0f, 1e-4f);
        EXPECT_NEAR(back.samples[2], 0.5f, 1e-4f);
        EXPECT_EQ(back.samples[3], 0.0f);  // NaN and infinities are written as silence
        EXPECT_EQ(back.samples[4], 0.0f);
        EXPECT_EQ(back.samples[5], 0.0f);
    }
}

TEST_F(AudioFile, OggVorbisKeepsASine) {
    const AudioClip clip = sine(44100, 1, 2.0, 440.0, 0.6f);
    const std::string bytes = encodeAudio(clip, AudioFileFormat::OggVorbis);
    EXPECT_LT(bytes.size(), clip.samples.size() * 2 / 4);  // compressed well below 16-bit PCM
    const AudioClip back = decodeAudio(bytes);
    EXPECT_EQ(back.sampleRateHz, 44100);
    EXPECT_EQ(back.channels, 1);
    EXPECT_NEAR(double(back.frames()), double(clip.frames()), 2048.0);  // within one Vorbis block
    double dot = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < std::min(back.samples.size(), clip.samples.size()); ++i) {
        dot += double(back.samples[i]) * clip.samples[i];
        aa += double(clip.samples[i]) * clip.samples[i];
        bb += double(back.samples[i]) * back.samples[i];
    }
    EXPECT_GT(dot / std::sqrt(aa * bb), 0.9);
}

TEST_F(AudioFile, TagsRoundTripInEveryFormat) {
    const std::string comment = longJsonComment();
    ASSERT_GT(comment.size(), 6144u);
    const AudioTags tags = {{"title", "Nächtliche Schleife"},
                            {"artist", "Latent Studio — test"},
                            {"date", "2024-05-01T12:00:00Z"},
                            {"software", "Latent Studio 0.1"},
                            {"comment", comment}};
    const AudioClip clip = sine(22050, 2, 0.25, 330.0);
    for (const auto format : {AudioFileFormat::Wav16, AudioFileFormat::Wav24, AudioFileFormat::WavFloat,
                              AudioFileFormat::Flac16, AudioFileFormat::Flac24, AudioFileFormat::OggVorbis}) {
        SCOPED_TRACE(audioFormatName(format));
        const fs::path path = m_dir / (std::string("tagged-") + std::to_string(int(format)));
        writeAudioFile(path, clip, format, tags);
        EXPECT_EQ(probeAudioFile(path).tags, tags);
        AudioTags readTags;
        const AudioClip back = readAudioFile(path, {}, nullptr, &readTags);
        EXPECT_EQ(readTags, tags);
        EXPECT_EQ(back.channels, 2);
        AudioTags decodedTags;
        decodeAudio(read(path), {}, nullptr, &decodedTags);
        EXPECT_EQ(decodedTags, tags);
    }
}

TEST_F(AudioFile, EncodeRefusesBadClipsFormatsAndTags) {
    const AudioClip clip = sine(48000, 1, 0.01, 440.0);
    EXPECT_EQ(expectError([&] { encodeAudio(AudioClip{48000, 1, {}}, AudioFileFormat::Wav16); }).kind(),
              ErrorKind::BadArgument);
    EXPECT_EQ(expectError([&] { encodeAudio(clip, AudioFileFormat::Invalid); }).kind(), ErrorKind::BadArgument);
    EXPECT_EQ(expectError([&] { encodeAudio(clip, AudioFileFormat(99)); }).kind(), ErrorKind::BadArgument);
    EXPECT_EQ(expectError([&] { encodeAudio(AudioClip{48000, 0, {0.0f}}, AudioFileFormat::Wav16); }).kind(),
              ErrorKind::BadArgument);
    EXPECT_EQ(expectError([&] { encodeAudio(AudioClip{100, 1, {0.0f}}, AudioFileFormat::Wav16); }).kind(),
              ErrorKind::BadArgument);
    EXPECT_EQ(expectError([&] { encodeAudio(AudioClip{48000, 2, {0.0f, 0.0f, 0.0f}}, AudioFileFormat::Wav16); }).kind(),
              ErrorKind::BadArgument);
    // FLAC stores at most 8 channels.
    AudioClip nine = sine(48000, 9, 0.01, 440.0);
    const Error flac = expectError([&] { encodeAudio(nine, AudioFileFormat::Flac16); });
    EXPECT_EQ(flac.kind(), ErrorKind::BadArgument);
    EXPECT_TRUE(contains(flac.what(), "9 channels")) << flac.what();
    EXPECT_EQ(decodeAudio(encodeAudio(nine, AudioFileFormat::Wav16)).channels, 9);
    const Error unknown = expectError([&] { encodeAudio(clip, AudioFileFormat::Wav16, {{"album", "x"}}); });
    EXPECT_EQ(unknown.kind(), ErrorKind::BadArgument);
    EXPECT_TRUE(contains(unknown.what(), "album")) << unknown.what();
    // WAV's INFO chunk has a limit FLAC and Ogg do not.
    const AudioTags huge = {{"comment", std::string(40000, 'x')}};
    EXPECT_EQ(expectError([&] { encodeAudio(clip, AudioFileFormat::Wav16, huge); }).kind(), ErrorKind::BadArgument);
    AudioTags back;
    decodeAudio(encodeAudio(clip, AudioFileFormat::Flac16, huge), {}, nullptr, &back);
    EXPECT_EQ(back, huge);
}

TEST_F(AudioFile, ProbeGivesRateChannelsFramesAndFormat) {
    const fs::path path = m_dir / "probe.flac";
    writeAudioFile(path, sine(32000, 3, 1.5, 200.0), AudioFileFormat::Flac24);
    const AudioFileInfo info = probeAudioFile(path);
    EXPECT_EQ(info.sampleRateHz, 32000);
    EXPECT_EQ(info.channels, 3);
    EXPECT_EQ(info.frames, 48000);
    EXPECT_DOUBLE_EQ(info.seconds(), 1.5);
    EXPECT_EQ(info.formatName, "FLAC 24-bit");
    EXPECT_TRUE(info.tags.empty());

    writeAudioFile(m_dir / "probe.ogg", sine(16000, 1, 1.0, 200.0), AudioFileFormat::OggVorbis);
    EXPECT_EQ(probeAudioFile(m_dir / "probe.ogg").formatName, "Ogg Vorbis");
    writeAudioFile(m_dir / "probe.wav", sine(16000, 1, 1.0, 200.0), AudioFileFormat::WavFloat);
    EXPECT_EQ(probeAudioFile(m_dir / "probe.wav").formatName, "WAV 32-bit float");
}

TEST_F(AudioFile, ReadsAiff) {
    std::vector<std::int16_t> samples(800);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = std::int16_t(i % 2 ? 16384 : -8192);
    const fs::path path = m_dir / "tone.aiff";
    write(path, aiffBytes(samples));
    const AudioFileInfo info = probeAudioFile(path);
    EXPECT_EQ(info.sampleRateHz, 8000);
    EXPECT_EQ(info.channels, 1);
    EXPECT_EQ(info.frames, 800);
    EXPECT_EQ(info.formatName, "AIFF 16-bit");
    const AudioClip clip = readAudioFile(path);
    ASSERT_EQ(clip.samples.size(), 800u);
    EXPECT_FLOAT_EQ(clip.samples[0], -0.25f);
    EXPECT_FLOAT_EQ(clip.samples[1], 0.5f);
}

TEST_F(AudioFile, ResamplesKeepingLengthAndPitch) {
    const AudioClip clip = sine(22050, 1, 2.0, 1000.0);
    std::vector<std::string> notices;
    AudioReadOptions options;
    options.targetRateHz = 48000;
    const AudioClip out = decodeAudio(encodeAudio(clip, AudioFileFormat::WavFloat), options, &notices);
    EXPECT_EQ(out.sampleRateHz, 48000);
    const double expected = double(clip.frames()) * 48000.0 / 22050.0;
    EXPECT_NEAR(double(out.frames()), expected, expected * 0.001);
    EXPECT_NEAR(crossingHz(out), 1000.0, 10.0);
    EXPECT_NEAR(crossingHz(clip), 1000.0, 10.0);
    EXPECT_TRUE(anyContains(notices, "resampled from 22050 Hz to 48000 Hz"));
    for (const float s : out.samples) ASSERT_LE(std::fabs(s), 1.0f);
}

TEST_F(AudioFile, MixesStereoDownAndDuplicatesMono) {
    AudioClip stereo{8000, 2, {}};
    for (int f = 0; f < 1000; ++f) {
        stereo.samples.push_back(0.5f);
        stereo.samples.push_back(-0.1f);
    }
    std::vector<std::string> notices;
    AudioReadOptions toMono;
    toMono.targetChannels = 1;
    const AudioClip mono = decodeAudio(encodeAudio(stereo, AudioFileFormat::WavFloat), toMono, &notices);
    ASSERT_EQ(mono.channels, 1);
    ASSERT_EQ(mono.frames(), 1000);
    for (const float s : mono.samples) ASSERT_NEAR(s, 0.2f, 1e-6f);
    EXPECT_TRUE(anyContains(notices, "mixed 2 channels down to mono"));

    const AudioClip source = sine(8000, 1, 0.5, 300.0);
    notices.clear();
    AudioReadOptions toStereo;
    toStereo.targetChannels = 2;
    const AudioClip dup = decodeAudio(encodeAudio(source, AudioFileFormat::WavFloat), toStereo, &notices);
    ASSERT_EQ(dup.channels, 2);
    ASSERT_EQ(dup.frames(), source.frames());
    for (std::int64_t f = 0; f < dup.frames(); ++f) {
        ASSERT_EQ(dup.samples[std::size_t(f) * 2], source.samples[std::size_t(f)]);
        ASSERT_EQ(dup.samples[std::size_t(f) * 2 + 1], source.samples[std::size_t(f)]);
    }
    EXPECT_TRUE(anyContains(notices, "duplicated mono to 2 channels"));
    notices.clear();
    decodeAudio(encodeAudio(source, AudioFileFormat::WavFloat), {}, &notices);
    EXPECT_TRUE(notices.empty());
}

TEST_F(AudioFile, RefusesFilesLongerThanTheLimitNamingBothDurations) {
    const fs::path path = m_dir / "three-seconds.wav";
    writeAudioFile(path, sine(8000, 1, 3.0, 100.0), AudioFileFormat::Wav16);
    AudioReadOptions options;
    options.maxSeconds = 2;
    const Error e = expectError([&] { readAudioFile(path, options); });
    EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
    EXPECT_TRUE(contains(e.what(), "three-seconds.wav")) << e.what();
    EXPECT_TRUE(contains(e.what(), "3 s")) << e.what();
    EXPECT_TRUE(contains(e.what(), "2 s")) << e.what();
    options.maxSeconds = 3;
    EXPECT_EQ(readAudioFile(path, options).frames(), 24000);
    options.maxSeconds = 0;
    EXPECT_EQ(readAudioFile(path, options).frames(), 24000);

    // The sample limit counts converted samples too.
    AudioReadOptions samples;
    samples.maxSamples = 30000;
    EXPECT_EQ(readAudioFile(path, samples).frames(), 24000);
    samples.targetChannels = 2;
    EXPECT_EQ(expectError([&] { readAudioFile(path, samples); }).kind(), ErrorKind::BadArgument);
}

TEST_F(AudioFile, RefusesBadOptions) {
    const std::string bytes = encodeAudio(sine(8000, 1, 0.1, 100.0), AudioFileFormat::Wav16);
    AudioReadOptions o;
    o.targetRateHz = 500;
    EXPECT_EQ(expectError([&] { decodeAudio(bytes, o); }).kind(), ErrorKind::BadArgument);
    o = {};
    o.targetChannels = 65;
    EXPECT_EQ(expectError([&] { decodeAudio(bytes, o); }).kind(), ErrorKind::BadArgument);
    o = {};
    o.maxSeconds = -1;
    EXPECT_EQ(expectError([&] { decodeAudio(bytes, o); }).kind(), ErrorKind::BadArgument);
    o = {};
    o.targetRateHz = 768000;  // × 96: within libsamplerate's 256
    EXPECT_NEAR(double(decodeAudio(bytes, o).frames()), 76800.0, 77.0);
}

TEST_F(AudioFile, TruncatedFilesGiveTheReadablePartOrAnError) {
    const AudioClip clip = sine(16000, 2, 1.0, 440.0);
    for (const auto format : {AudioFileFormat::Wav16, AudioFileFormat::Flac16, AudioFileFormat::OggVorbis}) {
        SCOPED_TRACE(audioFormatName(format));
        const std::string bytes = encodeAudio(clip, format);
        for (const std::size_t keep : {bytes.size() / 2, std::size_t(60), std::size_t(20), std::size_t(0)}) {
            SCOPED_TRACE(keep);
            std::vector<std::string> notices;
            try {
                const AudioClip part = decodeAudio(std::string_view(bytes).substr(0, keep), {}, &notices);
                EXPECT_LE(part.frames(), clip.frames());
                EXPECT_EQ(part.channels, 2);
                if (keep == bytes.size() / 2 && format != AudioFileFormat::OggVorbis) {
                    EXPECT_TRUE(anyContains(notices, "cut short")) << part.frames();
                }
                if (format == AudioFileFormat::Wav16 && keep == bytes.size() / 2) {
                    EXPECT_NEAR(double(part.frames()), double(clip.frames()) / 2, 50.0);
                    EXPECT_TRUE(anyContains(notices, "cut short")) << (notices.empty() ? "" : notices[0]);
                }
            } catch (const Error& e) {
                EXPECT_NE(std::string(e.what()), "");
                EXPECT_TRUE(e.kind() == ErrorKind::Format) << e.what();
            }
        }
    }
    // A file cut in half, read from disk, and streamed.
    const fs::path path = m_dir / "half.wav";
    const std::string bytes = encodeAudio(clip, AudioFileFormat::Wav16);
    write(path, bytes.substr(0, bytes.size() / 2));
    std::vector<std::string> notices;
    const AudioClip part = readAudioFile(path, {}, &notices);
    EXPECT_GT(part.frames(), 0);
    ASSERT_FALSE(notices.empty());
    EXPECT_TRUE(contains(notices.back(), "half.wav")) << notices.back();
    AudioFileReader reader(path);
    std::int64_t total = 0;
    while (!reader.atEnd()) total += std::int64_t(reader.read(1000).size()) / 2;
    EXPECT_EQ(total, part.frames());
    EXPECT_TRUE(anyContains(reader.notices(), "cut short"));
}

TEST_F(AudioFile, NonAudioBytesAreAFormatError) {
    const std::string text = "This is a text file, not a sound. It goes on for a while to look like data.\n";
    const Error e = expectError([&] { decodeAudio(text); });
    EXPECT_EQ(e.kind(), ErrorKind::Format);
    EXPECT_TRUE(contains(e.what(), "is not a sound file libsndfile can read")) << e.what();
    EXPECT_EQ(expectError([&] { decodeAudio(""); }).kind(), ErrorKind::Format);
    EXPECT_EQ(expectError([&] { decodeAudio(std::string(4096, '\0')); }).kind(), ErrorKind::Format);

    const fs::path path = m_dir / "x.wav";
    write(path, text);
    const Error fileError = expectError([&] { readAudioFile(path); });
    EXPECT_EQ(fileError.kind(), ErrorKind::Format);
    EXPECT_TRUE(contains(fileError.what(), "x.wav is not a sound file libsndfile can read: ")) << fileError.what();
    EXPECT_EQ(expectError([&] { probeAudioFile(path); }).kind(), ErrorKind::Format);
    EXPECT_EQ(expectError([&] { AudioFileReader r(path); }).kind(), ErrorKind::Format);
}

TEST_F(AudioFile, MissingFilesAndFoldersAreIoErrors) {
    const Error missing = expectError([&] { readAudioFile(m_dir / "nope.flac"); });
    EXPECT_EQ(missing.kind(), ErrorKind::Io);
    EXPECT_TRUE(contains(missing.what(), "nope.flac")) << missing.what();
    EXPECT_EQ(expectError([&] { probeAudioFile(m_dir); }).kind(), ErrorKind::Io);
    EXPECT_EQ(expectError([&] { AudioFileReader r(m_dir / "nope.wav"); }).kind(), ErrorKind::Io);
}

TEST_F(AudioFile, AbsurdHeadersAreRefusedWithoutCrashing) {
    const std::string pcm(400, '\x10');
    struct Case {
        int channels;
        std::uint32_t rate;
        std::uint32_t dataBytes;
    };
    for (const Case& c : {Case{0, 8000, 400}, Case{100, 8000, 400}, Case{1, 5, 400}, Case{1, 4000000, 400},
                          Case{2, 8000, 0xFFFFFFF0u}, Case{64, 768000, 0xFFFFFFF0u}, Case{1, 0, 400}}) {
        SCOPED_TRACE(std::to_string(c.channels) + " channels, " + std::to_string(c.rate) + " Hz");
        const std::string bytes = wavBytes(c.channels, c.rate, c.dataBytes, pcm);
        AudioReadOptions options;
        options.maxSeconds = 30;
        try {
            const AudioClip clip = decodeAudio(bytes, options);
            EXPECT_GE(clip.channels, 1);
            EXPECT_LE(clip.channels, 64);
            EXPECT_LE(clip.samples.size(), pcm.size() / 2);
        } catch (const Error& e) {
            EXPECT_TRUE(e.kind() == ErrorKind::Format || e.kind() == ErrorKind::BadArgument) << e.what();
        }
    }
    const Error many = expectError([&] { decodeAudio(wavBytes(100, 8000, 400, pcm)); });
    EXPECT_TRUE(contains(many.what(), "100 channels")) << many.what();
    const Error slow = expectError([&] { decodeAudio(wavBytes(1, 5, 400, pcm)); });
    EXPECT_TRUE(contains(slow.what(), "5 Hz")) << slow.what();
}

// libsndfile 1.2 loops forever on this one (a LIST sub-chunk whose size wraps
// its 32-bit count, so it jumps back onto itself): refused before it is opened.
TEST_F(AudioFile, WavWithAWrappingListSubChunkIsRefusedNotHung) {
    std::string info = "INFO";
    info += "INAM";
    putLe32(info, 4);
    info += std::string("abc\0", 4);
    info += "IARx";
    putLe32(info, 0xFFFFFFF7u);
    info += std::string(8, '\0');
    std::string list = "LIST";
    putLe32(list, std::uint32_t(info.size()));
    list += info;
    std::string fmt = "fmt ";
    putLe32(fmt, 16);
    putLe16(fmt, 1);
    putLe16(fmt, 1);
    putLe32(fmt, 8000);
    putLe32(fmt, 16000);
    putLe16(fmt, 2);
    putLe16(fmt, 16);
    std::string data = "data";
    putLe32(data, 200);
    data += std::string(200, '\x10');
    const std::string body = "WAVE" + fmt + list + data;
    std::string bytes = "RIFF";
    putLe32(bytes, std::uint32_t(body.size()));
    bytes += body;
    for (const char* head : {"RIFF", "RF64"}) {
        bytes.replace(0, 4, head);
        const Error e = expectError([&] { decodeAudio(bytes); });
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_TRUE(contains(e.what(), "damaged WAV file")) << e.what();
    }
    // The same file with a sane size reads, tags and all.
    bytes.replace(0, 4, "RIFF");
    const auto at = bytes.find("IARx");
    bytes.replace(at, 8, std::string("IART\x04\0\0\0", 8));
    AudioTags tags;
    EXPECT_EQ(decodeAudio(bytes, {}, nullptr, &tags).frames(), 100);
    EXPECT_EQ(tags["title"], "abc");
}

TEST_F(AudioFile, ReaderStreamsATenMinuteFileInBlocks) {
    const fs::path path = m_dir / "ten-minutes.wav";
    const AudioClip clip = sine(8000, 1, 600.0, 50.0, 0.3f);
    ASSERT_EQ(clip.frames(), 4'800'000);
    writeAudioFile(path, clip, AudioFileFormat::Wav16);

    AudioReadOptions limited;
    limited.maxSeconds = 60;
    const Error e = expectError([&] { readAudioFile(path, limited); });
    EXPECT_TRUE(contains(e.what(), "10:00 (600 s)")) << e.what();
    EXPECT_TRUE(contains(e.what(), "1:00 (60 s)")) << e.what();

    {
        AudioFileReader reader(path);
        EXPECT_EQ(reader.info().frames, 4'800'000);
        EXPECT_EQ(reader.outputRateHz(), 8000);
        EXPECT_TRUE(reader.notices().empty());
        std::int64_t total = 0;
        for (std::vector<float> block = reader.read(65536); !block.empty(); block = reader.read(65536)) {
            ASSERT_LE(block.size(), 65536u);
            total += std::int64_t(block.size());
        }
        EXPECT_EQ(total, 4'800'000);
        EXPECT_TRUE(reader.atEnd());
        EXPECT_TRUE(reader.read(10).empty());
        EXPECT_EQ(expectError([&] { reader.read(0); }).kind(), ErrorKind::BadArgument);
    }
    AudioReadOptions convert;
    convert.targetRateHz = 16000;
    convert.targetChannels = 2;
    AudioFileReader reader(path, convert);
    EXPECT_EQ(reader.outputRateHz(), 16000);
    EXPECT_EQ(reader.outputChannels(), 2);
    EXPECT_TRUE(anyContains(reader.notices(), "resampled from 8000 Hz to 16000 Hz"));
    EXPECT_TRUE(anyContains(reader.notices(), "duplicated mono to 2 channels"));
    std::int64_t total = 0;
    double peak = 0;
    std::vector<float> first;
    while (!reader.atEnd()) {
        const std::vector<float> block = reader.read(10000);
        ASSERT_LE(block.size(), 20000u);
        ASSERT_EQ(block.size() % 2, 0u);
        if (first.empty()) first = block;
        for (const float s : block) peak = std::max(peak, double(std::fabs(s)));
        total += std::int64_t(block.size()) / 2;
    }
    const double expected = 9'600'000;
    EXPECT_NEAR(double(total), expected, expected * 0.001);
    EXPECT_NEAR(peak, 0.3, 0.01);
    // The converted start is the same sine at twice the rate: 50 Hz over 16 kHz.
    AudioClip head{16000, 2, first};
    EXPECT_NEAR(crossingHz(head), 50.0, 0.5);
}

TEST_F(AudioFile, WriteRefusesSymlinksAndMissingFolders) {
    const AudioClip clip = sine(8000, 1, 0.1, 100.0);
    const fs::path target = m_dir / "target.wav";
    write(target, "old");
    const fs::path link = m_dir / "link.wav";
    fs::create_symlink(target, link);
    const Error e = expectError([&] { writeAudioFile(link, clip, AudioFileFormat::Wav16); });
    EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
    EXPECT_EQ(read(target), "old");
    EXPECT_TRUE(fs::is_symlink(link));

    const fs::path nested = m_dir / "no-such-folder" / "out.flac";
    EXPECT_EQ(expectError([&] { writeAudioFile(nested, clip, AudioFileFormat::Flac16); }).kind(),
              ErrorKind::BadArgument);
    EXPECT_FALSE(fs::exists(nested.parent_path()));
    AtomicWriteOptions create;
    create.createParents = true;
    writeAudioFile(nested, clip, AudioFileFormat::Flac16, {}, create);
    EXPECT_EQ(probeAudioFile(nested).frames, clip.frames());

    // A replaced file is whole, and no temporary file is left beside it.
    writeAudioFile(target, clip, AudioFileFormat::Wav24);
    EXPECT_EQ(probeAudioFile(target).formatName, "WAV 24-bit");
    int entries = 0;
    for (const auto& entry : fs::directory_iterator(m_dir)) entries += entry.is_symlink() ? 0 : 1;
    EXPECT_EQ(entries, 2);  // target.wav and no-such-folder
}

TEST_F(AudioFile, WaveformThumbnailSizeAndLoudness) {
    const ImageFrame silent = waveformThumbnail(AudioClip{8000, 1, std::vector<float>(8000, 0.0f)}, 200, 48);
    ASSERT_EQ(silent.width, 200);
    ASSERT_EQ(silent.height, 48);
    ASSERT_TRUE(silent.rgba);
    ASSERT_EQ(silent.rgba->size(), 200u * 48u * 4u);
    const auto pixel = [](const ImageFrame& f, int x, int y) {
        const std::size_t i = (std::size_t(y) * std::size_t(f.width) + std::size_t(x)) * 4;
        return std::vector<std::uint8_t>(f.rgba->begin() + std::ptrdiff_t(i), f.rgba->begin() + std::ptrdiff_t(i + 4));
    };
    const std::vector<std::uint8_t> background = pixel(silent, 0, 0);
    EXPECT_EQ(background[3], 255);
    const auto drawn = [&](const ImageFrame& f) {
        int n = 0;
        for (int y = 0; y < f.height; ++y)
            for (int x = 0; x < f.width; ++x) n += pixel(f, x, y) != background ? 1 : 0;
        return n;
    };
    EXPECT_EQ(drawn(silent), 200);  // the centre line only
    const int quiet = drawn(waveformThumbnail(sine(8000, 2, 1.0, 200.0, 0.05f), 200, 48));
    const int loud = drawn(waveformThumbnail(sine(8000, 2, 1.0, 200.0, 0.9f), 200, 48));
    EXPECT_GT(quiet, 200);
    EXPECT_GT(loud, quiet * 4);
    // Shorter than the picture is wide, empty, and bad sizes.
    EXPECT_EQ(waveformThumbnail(sine(8000, 1, 0.001, 200.0), 300, 20).width, 300);
    EXPECT_EQ(drawn(waveformThumbnail(AudioClip{}, 200, 48)), 200);
    EXPECT_EQ(expectError([] { waveformThumbnail(AudioClip{}, 0, 10); }).kind(), ErrorKind::BadArgument);
    EXPECT_EQ(expectError([] { waveformThumbnail(AudioClip{}, 10, 100000); }).kind(), ErrorKind::BadArgument);
}
