// audio-rave end to end: small models that follow the RAVE / nn~ convention,
// scripted by Debian's python3-torch (tests/reference/make_rave_export.py),
// imported from the file alone as a user would, run through the engine in
// blocks; samples and latent paths must equal PyTorch's within 1e-4.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "ImageFamilyTestSupport.h"
#include "latent/Error.h"
#include "latent/FileImport.h"
#include "latent/PluginHost.h"
#include "latent/media/AudioFile.h"

using namespace latent;
using latent::test::readBytes;

namespace {

const test::ReferenceOutputs& g_ref = test::ReferenceOutputs::add("make_rave_export.py");

std::vector<float> floats(const std::filesystem::path& file) {
    const std::string bytes = readBytes(file);
    std::vector<float> out(bytes.size() / sizeof(float));
    std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
    return out;
}

std::vector<float> floatList(const nlohmann::json& j) { return j.get<std::vector<float>>(); }

struct Rave : test::ImageEngineFixture {
    nlohmann::json cases = nlohmann::json::parse(readBytes(g_ref.dir() / "cases.json"));

    std::string import(const std::string& name) {
        FileImportOptions o;
        o.file = g_ref.dir() / (name + ".ts");
        o.id = name;
        o.destRoot = home.path();
        const ModelPackage p = importModelFile(engine->plugins(), o);
        engine->models().rescan();
        return p.id;
    }

    JobInputs inputAudio() const {
        JobInputs in;
        AudioBlock clip;
        clip.sampleRateHz = cases["sample_rate_hz"];
        clip.channels = 1;
        clip.samples = makeSharedFloats(floats(g_ref.dir() / "input.f32"));
        in.audio = clip;
        return in;
    }

    std::vector<AudioBlock> blocks(JobId job) {
        std::lock_guard lock(sink->m_mutex);
        std::vector<AudioBlock> out;
        for (const auto& c : sink->chunks[job])
            if (const auto* b = std::get_if<AudioBlock>(c.get())) out.push_back(*b);
        return out;
    }

    // The blocks joined by their start frames, checking they tile the stream.
    std::vector<float> joined(const std::vector<AudioBlock>& bs, int channels) {
        std::vector<float> all;
        for (std::size_t i = 0; i < bs.size(); ++i) {
            EXPECT_EQ(bs[i].channels, channels);
            EXPECT_EQ(bs[i].startFrame * channels, std::int64_t(all.size())) << "block " << i;
            EXPECT_EQ(bs[i].final, i + 1 == bs.size()) << "block " << i;
            all.insert(all.end(), bs[i].samples->begin(), bs[i].samples->end());
        }
        return all;
    }
};

void expectNear(const std::vector<float>& actual, const std::vector<float>& expected, float tolerance) {
    ASSERT_EQ(actual.size(), expected.size());
    float worst = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) worst = std::max(worst, std::abs(actual[i] - expected[i]));
    EXPECT_LE(worst, tolerance);
}

}  // namespace

TEST_F(Rave, ImportReadsTheConventionFromTheFileAlone) {
    import("pointwise");
    const auto p = engine->models().find("pointwise");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->family, "audio-rave");
    EXPECT_EQ(p->config["sample_rate_hz"], 16000);
    EXPECT_EQ(p->config["encode_params"], nlohmann::json({1, 1, 4, 64}));
    EXPECT_EQ(p->config["decode_params"], nlohmann::json({4, 64, 1, 1}));
    EXPECT_FALSE(p->config["streaming"].get<bool>());
    EXPECT_EQ(p->latent["dimension"], 4);
    EXPECT_EQ(p->files.size(), 1u);
    EXPECT_EQ(p->files[0].sha256.size(), 64u);
    import("streaming");
    EXPECT_TRUE(engine->models().find("streaming")->config["streaming"].get<bool>());
    import("prior");
    EXPECT_TRUE(engine->models().find("prior")->config.contains("prior_params"));
    import("stereo");
    EXPECT_EQ(engine->models().find("stereo")->config["decode_params"][2], 2);
}

TEST_F(Rave, RefusesFilesThatAreNotExportsSayingWhatIsMissing) {
    FileImportOptions o;
    o.destRoot = home.path();
    o.file = g_ref.dir() / "image_generator.ts";
    try {
        importModelFile(engine->plugins(), o);
        FAIL() << "an image generator was imported as audio";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("audio-rave"), std::string::npos) << e.what();
    }
    o.file = g_ref.dir() / "no_params.ts";
    try {
        importModelFile(engine->plugins(), o);
        FAIL() << "a module without the convention's buffers was imported";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_NE(m.find("encode_params"), std::string::npos) << m;
        EXPECT_NE(m.find("decode_params"), std::string::npos) << m;
        EXPECT_NE(m.find("'sr'"), std::string::npos) << m;
    }
    o.file = g_ref.dir() / "cases.json";  // not even TorchScript
    EXPECT_THROW(importModelFile(engine->plugins(), o), Error);
    EXPECT_TRUE(std::filesystem::is_empty(home.path()));
}

TEST_F(Rave, TransferDecodeAndSampleMatchPyTorch) {
    std::set<std::string> imported;
    for (const auto& c : cases["cases"]) {
        const std::string name = c["model"], task = c["task"];
        SCOPED_TRACE(name + " " + task);
        if (imported.insert(name).second) import(name);
        JobInputs in = task == "audio.transfer" ? inputAudio() : JobInputs{};
        in.latentOffset = floatList(c["offset"]);
        in.latentScale = floatList(c["scale"]);
        ParamMap params;
        if (task == "audio.decode") in.latent = floats(g_ref.dir() / c["latent"].get<std::string>());
        if (task == "audio.sample")
            params = {{"duration_s", c["duration_s"].get<double>()},
                      {"smoothness_s", c["smoothness_s"].get<double>()},
                      {"temperature", c["temperature"].get<double>()},
                      {"latent_source", std::string("random")}};
        JobId job = 0;
        const auto end = run(name, task, params, c.value("seed", 1), in, &job);
        ASSERT_EQ(end.state, JobState::Finished) << end.message;
        const auto bs = blocks(job);
        ASSERT_FALSE(bs.empty());
        if (task == "audio.transfer") {
            EXPECT_GE(bs.size(), 3u) << "a long input streams in blocks";
        }
        for (const auto& b : bs) EXPECT_EQ(b.sampleRateHz, 16000);
        expectNear(joined(bs, c["channels"]), floats(g_ref.dir() / c["expected"].get<std::string>()), 1e-4f);
        // The latent path decoded (before the edit) rides on one block: the
        // first when known up front, else the last.
        const AudioBlock& carrier = task == "audio.transfer" ? bs.back() : bs.front();
        ASSERT_TRUE(carrier.latent);
        EXPECT_EQ(carrier.latentDims, 4);
        expectNear(*carrier.latent, floats(g_ref.dir() / c["latent"].get<std::string>()), 1e-4f);
    }
}

TEST_F(Rave, TransferStreamsAFileFromDisk) {
    import("context");
    AudioClip clip;
    clip.sampleRateHz = 16000;
    clip.channels = 1;
    clip.samples = floats(g_ref.dir() / "input.f32");
    const auto wav = home.path() / "input.wav";
    writeAudioFile(wav, clip, AudioFileFormat::WavFloat);
    JobInputs in;
    in.audioFile = wav.string();
    for (const auto& c : cases["cases"])
        if (c["model"] == "context" && c["task"] == "audio.transfer") {
            in.latentOffset = floatList(c["offset"]);
            in.latentScale = floatList(c["scale"]);
            JobId job = 0;
            const auto end = run("context", "audio.transfer", {}, 1, in, &job);
            ASSERT_EQ(end.state, JobState::Finished) << end.message;
            expectNear(joined(blocks(job), 1), floats(g_ref.dir() / c["expected"].get<std::string>()), 1e-4f);
        }
}

TEST_F(Rave, SameSeedSameSoundFromThePrior) {
    import("prior");
    const ParamMap params = {{"duration_s", 0.5}, {"latent_source", std::string("prior")}};
    JobId a = 0, b = 0, c = 0;
    ASSERT_EQ(run("prior", "audio.sample", params, 4, {}, &a).state, JobState::Finished);
    ASSERT_EQ(run("prior", "audio.sample", params, 4, {}, &b).state, JobState::Finished);
    ASSERT_EQ(run("prior", "audio.sample", params, 5, {}, &c).state, JobState::Finished);
    EXPECT_EQ(joined(blocks(a), 1), joined(blocks(b), 1));
    EXPECT_NE(joined(blocks(a), 1), joined(blocks(c), 1));
    EXPECT_EQ(joined(blocks(a), 1).size(), 8000u);
    import("pointwise");
    const auto none = run("pointwise", "audio.sample", params, 4);
    EXPECT_EQ(none.state, JobState::Failed);
    EXPECT_NE(none.message.find("no prior"), std::string::npos) << none.message;
}

TEST_F(Rave, BrokenModelsAndBadRequestsFailWithReadableMessages) {
    import("wrong_length");
    import("throws");
    import("pointwise");
    const ParamMap shortSample = {{"duration_s", 0.2}};
    auto e = run("wrong_length", "audio.sample", shortSample, 1);
    EXPECT_EQ(e.state, JobState::Failed);
    EXPECT_NE(e.message.find("returned shape"), std::string::npos) << e.message;
    e = run("throws", "audio.sample", shortSample, 1);
    EXPECT_EQ(e.state, JobState::Failed);
    EXPECT_NE(e.message.find("decoder exploded"), std::string::npos) << e.message;
    JobInputs wrongEdit;
    wrongEdit.latentOffset = {1, 2};
    e = run("pointwise", "audio.sample", shortSample, 1, wrongEdit);
    EXPECT_EQ(e.kind, ErrorKind::BadArgument);
    EXPECT_NE(e.message.find("4 latent dimensions"), std::string::npos) << e.message;
    e = run("pointwise", "audio.transfer", {}, 1);
    EXPECT_EQ(e.kind, ErrorKind::BadArgument);
    JobInputs badLatent;
    badLatent.latent = {1, 2, 3};
    e = run("pointwise", "audio.decode", {}, 1, badLatent);
    EXPECT_EQ(e.kind, ErrorKind::BadArgument);
    JobInputs missing;
    missing.audioFile = (home.path() / "nope.wav").string();
    e = run("pointwise", "audio.transfer", {}, 1, missing);
    EXPECT_EQ(e.state, JobState::Failed);
    EXPECT_NE(e.message.find("nope.wav"), std::string::npos) << e.message;
}
