// image-torchscript end to end: generators scripted by Debian's python3-torch
// (tests/reference/make_torchscript_generator.py), imported like a user would,
// run through the engine; pixels must equal PyTorch's exactly.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "ImageFamilyTestSupport.h"
#include "latent/Error.h"
#include "latent/TorchScriptImport.h"

using namespace latent;
using latent::test::readBytes;
using latent::test::RecordingSink;

namespace {

const test::ReferenceOutputs& g_ref = test::ReferenceOutputs::add("make_torchscript_generator.py");

// Imports write their own packages, so no family is needed.
struct TorchScript : test::ImageEngineFixture {
    std::string import(const std::string& name, int latent, int classes = 0, double lo = -1, double hi = 1) {
        TorchScriptImportOptions o;
        o.file = g_ref.dir() / (name + ".pt");
        o.latentDim = latent;
        o.numClasses = classes;
        o.rangeLow = lo;
        o.rangeHigh = hi;
        o.id = name;
        o.destRoot = home.path();
        auto p = importTorchScript(o);
        engine->models().rescan();
        return p.id;
    }

    // No task: the engine runs the model's first, a generator's only one.
    RecordingSink::Ended run(const std::string& id, ParamMap params, std::uint64_t seed, JobId* jobId = nullptr) {
        return ImageEngineFixture::run(id, {}, std::move(params), seed, {}, jobId);
    }
};

}  // namespace

TEST_F(TorchScript, PixelsEqualPyTorchForEveryReferenceCase) {
    const auto cases = nlohmann::json::parse(readBytes(g_ref.dir() / "cases.json"));
    ASSERT_GE(cases.size(), 8u);
    std::set<std::string> imported;
    for (const auto& c : cases) {
        const std::string name = c["model"];
        SCOPED_TRACE(name + " seed " + std::to_string(c["seed"].get<int>()));
        if (imported.insert(name).second)
            import(name, c["latent_dim"], c["classes"], c["range"][0], c["range"][1]);
        JobId job = 0;
        auto end = run(name,
                       {{"batch", c["batch"].get<std::int64_t>()}, {"temperature", c["temperature"].get<double>()},
                        {"class", c["class"].get<std::int64_t>()}},
                       c["seed"].get<std::uint64_t>(), &job);
        ASSERT_EQ(end.state, JobState::Finished) << end.message;
        const std::string expected = readBytes(g_ref.dir() / c["pixels"].get<std::string>());
        const int channels = c["shape"][1], h = c["shape"][2], w = c["shape"][3];
        std::string actual;
        std::lock_guard lock(sink->m_mutex);
        ASSERT_EQ(sink->chunks[job].size(), c["batch"].get<std::size_t>());
        for (const auto& chunk : sink->chunks[job]) {
            const auto& f = std::get<ImageFrame>(*chunk);
            ASSERT_EQ(f.width, w);
            ASSERT_EQ(f.height, h);
            for (std::size_t px = 0; px < std::size_t(w * h); ++px) {
                for (int ch = 0; ch < channels; ++ch) actual.push_back(char((*f.rgba)[px * 4 + std::size_t(ch)]));
                // Gray images are shown as gray RGB, opaque.
                if (channels == 1) {
                    EXPECT_EQ((*f.rgba)[px * 4 + 1], (*f.rgba)[px * 4]);
                    EXPECT_EQ((*f.rgba)[px * 4 + 3], 255);
                }
            }
        }
        EXPECT_EQ(actual.size(), expected.size());
        EXPECT_TRUE(actual == expected) << "pixels differ from PyTorch's";
    }
}

TEST_F(TorchScript, SameSeedSameImageAndProvenanceNamesTheModel) {
    const auto id = import("rgb", 16);
    JobId a = 0, b = 0;
    auto ea = run(id, {}, 5, &a);
    run(id, {}, 5, &b);
    std::lock_guard lock(sink->m_mutex);
    EXPECT_EQ(*std::get<ImageFrame>(*sink->chunks[a][0]).rgba, *std::get<ImageFrame>(*sink->chunks[b][0]).rgba);
    EXPECT_EQ(ea.provenance.pluginId, "image-torchscript");
    EXPECT_EQ(ea.provenance.modelSha256.size(), 64u);
    EXPECT_FALSE(ea.provenance.torchVersion.empty());
}

// The plugin draws z and reports it with each frame: a job fed that latent
// back (as the GUI's slider re-render is) gives the very same image, so the
// GUI and `generate` agree for a seed.
TEST_F(TorchScript, FramesReportTheLatentThatMakesThem) {
    const auto id = import("rgb", 16);
    JobId sampled = 0, again = 0;
    ASSERT_EQ(run(id, {{"batch", std::int64_t(2)}, {"temperature", 0.8}}, 9, &sampled).state, JobState::Finished);
    std::vector<float> second;
    std::vector<std::uint8_t> pixels;
    {
        std::lock_guard lock(sink->m_mutex);
        ASSERT_EQ(sink->chunks[sampled].size(), 2u);
        const auto& f = std::get<ImageFrame>(*sink->chunks[sampled][1]);
        ASSERT_TRUE(f.latent);
        ASSERT_EQ(f.latent->size(), 16u);
        second = *f.latent;
        pixels = *f.rgba;
        EXPECT_NE(*std::get<ImageFrame>(*sink->chunks[sampled][0]).latent, second);
    }
    JobInputs in;
    in.latent = second;
    ASSERT_EQ(ImageEngineFixture::run(id, {}, {{"temperature", 0.8}}, 1234, in, &again).state, JobState::Finished);
    std::lock_guard lock(sink->m_mutex);
    ASSERT_EQ(sink->chunks[again].size(), 1u);
    const auto& f = std::get<ImageFrame>(*sink->chunks[again][0]);
    EXPECT_EQ(*f.rgba, pixels);
    EXPECT_EQ(*f.latent, second);
}

TEST_F(TorchScript, WrongOutputShapeIsAClearError) {
    const auto id = import("wrong_shape", 4);
    auto end = run(id, {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("returned shape [1, 4]"), std::string::npos) << end.message;
}

TEST_F(TorchScript, GeneratorThatThrowsIsAClearError) {
    const auto id = import("throws", 5);
    auto end = run(id, {}, 1);
    EXPECT_EQ(end.kind, ErrorKind::Runtime);
    EXPECT_NE(end.message.find("latent must have 3 values"), std::string::npos) << end.message;
    EXPECT_EQ(end.message.find("frame #"), std::string::npos) << "no C++ backtrace in user messages";
}

TEST_F(TorchScript, WrongLatentSizeFailsInsideTheModel) {
    const auto id = import("rgb", 7);  // the module wants 16
    auto end = run(id, {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("TorchScript generator failed"), std::string::npos) << end.message;
    EXPECT_NE(end.message.find("mat1 and mat2 shapes cannot be multiplied"), std::string::npos) << end.message;
    EXPECT_EQ(end.message.find('\n'), std::string::npos) << "one line for the user: " << end.message;
}

TEST_F(TorchScript, ClassOutOfRangeAndClassOnUnconditionalModelAreRejected) {
    const auto cond = import("cond", 12, 5);
    auto end = run(cond, {{"class", std::int64_t(5)}}, 1);
    EXPECT_EQ(end.kind, ErrorKind::BadArgument);
    EXPECT_NE(end.message.find("0-4"), std::string::npos) << end.message;
    const auto rgb = import("rgb", 16);
    end = run(rgb, {{"class", std::int64_t(0)}}, 1);
    EXPECT_EQ(end.kind, ErrorKind::BadArgument);
}

TEST_F(TorchScript, CorruptModuleFileIsReportedOnLoad) {
    const auto id = import("rgb", 16);
    // Same size, different bytes, and a matching checksum: only loading can tell.
    auto package = *engine->models().find(id);
    const auto path = package.dir / "generator.pt";
    std::string bytes = readBytes(path);
    for (std::size_t i = 64; i < bytes.size(); i += 97) bytes[i] = char(~bytes[i]);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    package.files[0].sha256 = Sha256::hex(bytes.data(), bytes.size());
    writeModelManifest(package, package.dir / "model.json");
    engine->models().rescan();
    auto end = run(id, {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("cannot load TorchScript module"), std::string::npos) << end.message;
}

TEST(TorchScriptImport, RejectsFilesThatAreNotTorchScriptAndBadOptions) {
    test::TempDir dir;
    std::ofstream(dir.path() / "notes.pt") << "hello";
    TorchScriptImportOptions o;
    o.file = dir.path() / "notes.pt";
    o.latentDim = 8;
    o.destRoot = dir.path() / "models";
    try {
        importTorchScript(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_NE(std::string(e.what()).find("torch.jit.save"), std::string::npos);
    }
    o.latentDim = 0;
    EXPECT_THROW(importTorchScript(o), Error);
    o.latentDim = 8;
    o.rangeLow = 1;
    o.rangeHigh = 1;
    EXPECT_THROW(importTorchScript(o), Error);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "models" / "notes")) << "nothing half-written";
}
