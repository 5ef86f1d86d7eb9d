// Model jobs end to end through the plugin host, with the torch-free fixture family.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "FixturePackage.h"
#include "TestSupport.h"
#include "latent/Engine.h"
#include "latent/ModelCache.h"
#include "latent/ModelRegistry.h"
#include "latent/formats/Safetensors.h"
#include "latent/formats/Sha256.h"

using namespace latent;
using namespace std::chrono_literals;
using latent::test::RecordingSink;

namespace {

struct ModelJobs : ::testing::Test {
    test::TempDir home;
    std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
    std::unique_ptr<Engine> engine;

    void SetUp() override {
        test::writeFixtureImagePackage(home.path() / "models", "pattern");
        test::writeBrokenPackage(home.path() / "models", "broken");
        EngineConfig c;
        c.discoverCuda = false;
        c.threads = 1;
        c.appVersion = "test";
        c.pluginDirs = {LATENT_TEST_PLUGIN_DIR};
        c.modelDirs = {home.path() / "models"};
        c.dataDir = home.path() / "data";
        engine = std::make_unique<Engine>(c);
        engine->addSink(sink);
    }

    JobId generate(const std::string& model, ParamMap params = {}, std::optional<std::uint64_t> seed = 7) {
        JobRequest r;
        r.modelId = model;
        r.params = std::move(params);
        r.seed = seed;
        return engine->submit(r);
    }

    std::vector<ImageFrame> frames(JobId id) {
        std::vector<ImageFrame> out;
        std::lock_guard lock(sink->m_mutex);
        for (auto& c : sink->chunks[id])
            if (auto* f = std::get_if<ImageFrame>(c.get())) out.push_back(*f);
        return out;
    }
};

}  // namespace

TEST_F(ModelJobs, StreamsFramesAndRecordsProvenance) {
    const auto id = generate("pattern", {{"size", std::int64_t(16)}, {"steps", std::int64_t(3)}, {"batch", std::int64_t(2)}});
    auto end = sink->waitEnd(id);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    auto f = frames(id);
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(f.back().width, 16);
    EXPECT_EQ(f.back().rgba->size(), 16u * 16u * 4u);
    EXPECT_TRUE(f.back().final);
    EXPECT_FALSE(f.front().final);
    EXPECT_EQ(end.provenance.modelId, "pattern");
    EXPECT_EQ(end.provenance.pluginId, "fixture-image");
    EXPECT_EQ(end.provenance.pluginVersion, "1.0.0");
    EXPECT_EQ(end.provenance.seed, 7u);
    EXPECT_EQ(end.provenance.task, "image.sample");
    EXPECT_EQ(std::get<std::int64_t>(end.provenance.params.at("fail_at_step")), 0) << "defaults are recorded";
    EXPECT_EQ(end.provenance.modelSha256.size(), 64u);
    EXPECT_EQ(end.provenance.device, "cpu");
}

TEST_F(ModelJobs, SameSeedGivesIdenticalBytesAndCachesTheModel) {
    const auto a = generate("pattern", {}, 99);
    const auto b = generate("pattern", {}, 99);
    const auto c = generate("pattern", {}, 100);
    for (auto id : {a, b, c}) ASSERT_EQ(sink->waitEnd(id).state, JobState::Finished);
    EXPECT_EQ(*frames(a).back().rgba, *frames(b).back().rgba);
    EXPECT_NE(*frames(a).back().rgba, *frames(c).back().rgba);
    EXPECT_EQ(engine->cache().entries().size(), 1u);
}

TEST_F(ModelJobs, UnknownModelNamesTheIdAndListsAvailableOnes) {
    auto e = sink->waitEnd(generate("nope"));
    EXPECT_EQ(e.kind, ErrorKind::ModelPackage);
    EXPECT_NE(e.message.find("unknown model id 'nope'"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("pattern"), std::string::npos) << e.message;
}

TEST_F(ModelJobs, AbsurdParametersAreRejectedByName) {
    auto e = sink->waitEnd(generate("pattern", {{"size", std::int64_t(100000)}}));
    EXPECT_EQ(e.kind, ErrorKind::BadArgument);
    EXPECT_NE(e.message.find("'size'"), std::string::npos) << e.message;
    e = sink->waitEnd(generate("pattern", {{"temperature", 1.0}}));
    EXPECT_EQ(e.kind, ErrorKind::BadArgument);
    EXPECT_NE(e.message.find("unknown parameter 'temperature'"), std::string::npos) << e.message;
    e = sink->waitEnd(generate("pattern", {{"steps", std::string("many")}}));
    EXPECT_EQ(e.kind, ErrorKind::BadArgument);
}

TEST_F(ModelJobs, ChecksumMismatchIsCaughtBeforeLoading) {
    auto e = sink->waitEnd(generate("broken"));
    EXPECT_EQ(e.kind, ErrorKind::ModelPackage);
    EXPECT_NE(e.message.find("sha256"), std::string::npos) << e.message;
    EXPECT_TRUE(engine->cache().entries().empty());
}

TEST_F(ModelJobs, TruncatedWeightsAreReported) {
    std::filesystem::resize_file(home.path() / "models/pattern/weights.bin", 3);
    auto e = sink->waitEnd(generate("pattern"));
    EXPECT_EQ(e.kind, ErrorKind::ModelPackage);
    EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.message;
}

// The memory a model needs is estimated from its files' headers before it is
// hashed or loaded; one larger than the budget is refused with both sizes.
TEST_F(ModelJobs, AModelLargerThanTheMemoryBudgetIsRefusedBeforeLoading) {
    ModelPackage p = test::writeFixtureImagePackage(home.path() / "models", "big");
    const std::vector<float> values(250'000, 0.5f);  // 1 MB once loaded
    writeSafetensors(p.dir / "weights.safetensors", {{"w", TensorDType::F32, {250'000}, values.data()}});
    const auto size = std::filesystem::file_size(p.dir / "weights.safetensors");
    p.files.push_back({"weights.safetensors", size, Sha256::fileHex(p.dir / "weights.safetensors")});
    writeModelManifest(p, p.dir / "model.json");
    engine->models().rescan();
    engine->setRamBudget(500'000);
    auto e = sink->waitEnd(generate("big"));
    EXPECT_EQ(e.kind, ErrorKind::ModelPackage);
    EXPECT_NE(e.message.find("needs about 1.0 MB once loaded, more than the memory budget of 0.5 MB"), std::string::npos)
        << e.message;
    EXPECT_TRUE(engine->cache().entries().empty());
    engine->setRamBudget(std::size_t(1) << 30);
    EXPECT_EQ(sink->waitEnd(generate("big")).state, JobState::Finished);
}

// The engine resolves a package's defaults once: tasksForModel shows them as
// the schema's, and a request that leaves a value out gets them.
TEST_F(ModelJobs, PackageDefaultsAreTheSchemaDefaultsForEveryCaller) {
    ModelPackage p = test::writeFixtureImagePackage(home.path() / "models", "small");
    p.defaults = {{"size", 16}, {"not_a_parameter_here", 1}};
    writeModelManifest(p, p.dir / "model.json");
    engine->models().rescan();
    const auto tasks = engine->tasksForModel("small");
    ASSERT_EQ(tasks.size(), 1u);
    const auto size = std::find_if(tasks[0].params.begin(), tasks[0].params.end(),
                                   [](const ParamSpec& s) { return s.name == "size"; });
    ASSERT_NE(size, tasks[0].params.end());
    EXPECT_EQ(std::get<std::int64_t>(size->defaultValue), 16);
    const JobId id = generate("small");
    ASSERT_EQ(sink->waitEnd(id).state, JobState::Finished);
    ASSERT_FALSE(frames(id).empty());
    EXPECT_EQ(frames(id).front().width, 16);

    p.defaults = {{"size", 5000}};  // outside the parameter's range: the package is at fault
    writeModelManifest(p, p.dir / "model.json");
    engine->models().rescan();
    try {
        engine->tasksForModel("small");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
        EXPECT_NE(std::string(e.what()).find("field 'defaults.size'"), std::string::npos) << e.what();
    }
}

// A model built from another package ("requires" in model.json): the part is
// loaded once, shared and counted once, outlives the cache's eviction while a
// model holds it, and a missing one is named with both packages.
TEST_F(ModelJobs, AModelThatRequiresAnotherSharesThePartThroughTheCache) {
    const auto root = home.path() / "models";
    test::writeFixtureImagePackage(root, "part", std::string(1000, 'p'));
    for (const std::string id : {"whole-a", "whole-b"}) {
        ModelPackage p = test::writeFixtureImagePackage(root, id, std::string(100, 'w'));
        p.requirements = {{"part", "base", "1.0"}};
        writeModelManifest(p, p.dir / "model.json");
    }
    ModelPackage missing = test::writeFixtureImagePackage(root, "whole-c");
    missing.requirements = {{"nowhere", "base", ""}};
    writeModelManifest(missing, missing.dir / "model.json");
    ModelPackage old = test::writeFixtureImagePackage(root, "whole-d");
    old.requirements = {{"part", "base", "2.0"}};
    writeModelManifest(old, old.dir / "model.json");
    engine->models().rescan();

    ASSERT_EQ(sink->waitEnd(generate("whole-a")).state, JobState::Finished);
    ASSERT_EQ(sink->waitEnd(generate("whole-b")).state, JobState::Finished);
    std::map<std::string, std::size_t> cached;
    for (const auto& e : engine->cache().entries()) cached[e.key] = e.bytes;
    EXPECT_EQ(cached, (std::map<std::string, std::size_t>{{"part@cpu", 1000}, {"whole-a@cpu", 100}, {"whole-b@cpu", 100}}));
    EXPECT_EQ(engine->cache().usedBytes(), 1200u) << "the shared part counts once";
    // A tiny budget evicts what no one holds: the wholes go, the part they
    // held goes with the last of them, never before.
    engine->setRamBudget(0);
    EXPECT_TRUE(engine->cache().entries().empty());
    engine->setRamBudget(std::size_t(1) << 30);

    for (const auto& e : engine->models().entries()) {
        if (e.package.id == "whole-c") {
            EXPECT_EQ(e.error, "model 'whole-c' requires 'nowhere' (base), which is not installed");
        }
        if (e.package.id == "whole-d") {
            EXPECT_NE(e.error.find("requires 'part' (base) version 2.0 or a compatible later one, but version 1.0.0"),
                      std::string::npos) << e.error;
        }
    }
    auto e = sink->waitEnd(generate("whole-c"));
    EXPECT_EQ(e.kind, ErrorKind::ModelPackage);
    EXPECT_NE(e.message.find("requires 'nowhere'"), std::string::npos) << e.message;
}

TEST(ModelVersions, CompatibleMeansSameMajorAndNoOlder) {
    EXPECT_TRUE(versionCompatible("1.4.0", "1.2"));
    EXPECT_TRUE(versionCompatible("1.2", "1.2.0"));
    EXPECT_TRUE(versionCompatible("1.0.0", ""));
    EXPECT_FALSE(versionCompatible("1.1.9", "1.2"));
    EXPECT_FALSE(versionCompatible("2.0.0", "1.2"));
    EXPECT_TRUE(versionCompatible("nightly", "nightly"));
    EXPECT_FALSE(versionCompatible("nightly", "1.0"));
}

TEST_F(ModelJobs, PluginFailureMidJobIsAFailedJob) {
    const auto id = generate("pattern", {{"fail_at_step", std::int64_t(2)}});
    auto e = sink->waitEnd(id);
    EXPECT_EQ(e.kind, ErrorKind::Runtime);
    EXPECT_EQ(e.message, "fixture failure at step 2");
    EXPECT_EQ(frames(id).size(), 1u) << "step 1 was streamed before the failure";
}

TEST_F(ModelJobs, CancelMidGenerationStopsWithinAStep) {
    const auto id = generate("pattern", {{"steps", std::int64_t(1000)}, {"step_ms", std::int64_t(10)}});
    while (frames(id).size() < 2) std::this_thread::sleep_for(1ms);
    const auto t0 = std::chrono::steady_clock::now();
    engine->cancel(id);
    EXPECT_EQ(sink->waitEnd(id).state, JobState::Cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
}

TEST_F(ModelJobs, TasksForModelComeFromTheFamilySchema) {
    auto tasks = engine->tasksForModel("pattern");
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].id, "image.sample");
    EXPECT_EQ(tasks[0].params.size(), 5u);
    EXPECT_THROW(engine->tasksForModel("nope"), Error);
}

TEST_F(ModelJobs, ModelOfAnUnknownFamilyFailsWithAPluginError) {
    auto p = test::writeFixtureImagePackage(home.path() / "models", "alien");
    p.family = "no-such-family";
    writeModelManifest(p, p.dir / "model.json");
    engine->models().rescan();
    auto e = sink->waitEnd(generate("alien"));
    EXPECT_EQ(e.kind, ErrorKind::Plugin);
    EXPECT_NE(e.message.find("no-such-family"), std::string::npos) << e.message;
}
