// Jobs recorded into the results library by the engine, the crash-safety of
// the library under SIGKILL, and the queue: reordering and restarts.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "FixturePackage.h"
#include "TestSupport.h"
#include "latent/Engine.h"
#include "latent/formats/Sha256.h"
#include "latent/library/ResultLibrary.h"
#include "latent/media/ImageExport.h"

#if LATENT_TEST_SQLITE

using namespace latent;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Recording : ::testing::Test {
    test::TempDir home;
    std::shared_ptr<test::RecordingSink> sink = std::make_shared<test::RecordingSink>();
    std::unique_ptr<Engine> engine;

    EngineConfig config() {
        EngineConfig c;
        c.discoverCuda = false;
        c.threads = 1;
        c.appVersion = "test";
        c.pluginDirs = {LATENT_TEST_PLUGIN_DIR};
        c.modelDirs = {home.path() / "models"};
        c.dataDir = home.path() / "data";
        c.resultsDir = home.path() / "results";
        c.queueFile = home.path() / "results" / "queue.json";
        return c;
    }
    void start(EngineConfig c) {
        engine.reset();
        engine = std::make_unique<Engine>(std::move(c));
        engine->addSink(sink);
    }
    void SetUp() override {
        test::writeFixtureImagePackage(home.path() / "models", "pattern");
        start(config());
    }
    JobRequest request(ParamMap params = {}, std::uint64_t seed = 7) {
        JobRequest r;
        r.modelId = "pattern";
        r.params = std::move(params);
        r.seed = seed;
        r.inputs.prompt = "a striped test pattern";
        return r;
    }
};

}  // namespace

TEST_F(Recording, AFinishedJobBecomesAResultWithItsPngsAndProvenance) {
    const auto id = engine->submit(request({{"size", std::int64_t(16)}, {"batch", std::int64_t(2)}}));
    ASSERT_EQ(sink->waitEnd(id).state, JobState::Finished);
    const auto outcome = engine->waitForResult(id, 10s);
    ASSERT_TRUE(outcome);
    ASSERT_TRUE(outcome->kept()) << outcome->error;
    ResultLibrary* lib = engine->results();
    ASSERT_NE(lib, nullptr);
    const auto r = lib->get(outcome->resultId);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->modality, "image");
    EXPECT_EQ(r->modelId, "pattern");
    EXPECT_EQ(r->task, "image.sample");
    EXPECT_EQ(r->seed, 7u);
    EXPECT_EQ(r->prompt, "a striped test pattern");
    EXPECT_EQ(r->state, "finished");
    ASSERT_EQ(r->files.size(), 2u) << "one PNG per batch image";
    EXPECT_FALSE(r->thumbnail.empty());
    // The file is an export like any other: opening it restores the settings.
    const auto saved = readPngProvenance(lib->absolute(r->files[1].path));
    ASSERT_TRUE(saved);
    EXPECT_EQ(saved->seed, 7u);
    EXPECT_EQ(saved->modelId, "pattern");
    EXPECT_EQ(std::get<std::int64_t>(saved->params.at("batch")), 2);
    EXPECT_EQ(provenanceFromJson(r->provenanceJson).seed, 7u);
    EXPECT_EQ(lib->query({.search = "striped"}).size(), 1u);
}

TEST_F(Recording, LaneJobsUnrecordedJobsAndFailuresAreNotKept) {
    JobRequest lane = request();
    lane.lane = "image-panel/sliders";
    JobRequest off = request();
    off.record = false;
    const auto failed = engine->submit(request({{"fail_at_step", std::int64_t(1)}}));
    const auto a = engine->submit(lane);
    const auto b = engine->submit(off);
    for (auto id : {failed, a, b}) sink->waitEnd(id);
    EXPECT_EQ(sink->waitEnd(failed).state, JobState::Failed);
    for (auto id : {failed, a, b}) EXPECT_FALSE(engine->waitForResult(id, 200ms)) << id;
    const auto kept = engine->submit(request());
    sink->waitEnd(kept);
    ASSERT_TRUE(engine->waitForResult(kept, 10s));
    EXPECT_EQ(engine->results()->count(), 1u);
}

TEST_F(Recording, AStoppedJobKeepsWhatItMadeAsCancelled) {
    const auto id = engine->submit(request({{"steps", std::int64_t(200)}, {"step_ms", std::int64_t(20)}}));
    // Wait for a first frame, then stop.
    for (int i = 0; i < 500; ++i) {
        {
            std::lock_guard lock(sink->m_mutex);
            if (!sink->chunks[id].empty()) break;
        }
        std::this_thread::sleep_for(10ms);
    }
    engine->cancel(id);
    ASSERT_EQ(sink->waitEnd(id).state, JobState::Cancelled);
    const auto outcome = engine->waitForResult(id, 10s);
    ASSERT_TRUE(outcome && outcome->kept());
    EXPECT_EQ(engine->results()->get(outcome->resultId)->state, "cancelled");
}

TEST_F(Recording, ADamagedDatabaseTurnsRecordingOffAndJobsStillRun) {
    engine.reset();
    fs::create_directories(home.path() / "results");
    { std::ofstream(home.path() / "results" / "results.sqlite", std::ios::binary) << std::string(4096, '\x33'); }
    start(config());
    EXPECT_EQ(engine->results(), nullptr);
    EXPECT_NE(engine->recordingProblem().find("results.sqlite"), std::string::npos) << engine->recordingProblem();
    const auto id = engine->submit(request());
    EXPECT_EQ(sink->waitEnd(id).state, JobState::Finished) << "generation does not depend on recording";
    const auto outcome = engine->waitForResult(id, 10s);
    ASSERT_TRUE(outcome);
    EXPECT_FALSE(outcome->kept());
    EXPECT_NE(outcome->error.find("recording is off"), std::string::npos) << outcome->error;
}

TEST_F(Recording, TheCapPrunesAfterEachResult) {
    engine->setResultsCap(1);  // smaller than any result: only the newest survives… until it is pruned too
    for (int i = 0; i < 3; ++i) {
        const auto id = engine->submit(request({}, 100 + std::uint64_t(i)));
        sink->waitEnd(id);
        ASSERT_TRUE(engine->waitForResult(id, 10s));
    }
    EXPECT_EQ(engine->results()->count(), 0u);
    engine->setResultsCap(0);
    const auto id = engine->submit(request());
    sink->waitEnd(id);
    const auto outcome = engine->waitForResult(id, 10s);
    engine->results()->setFavourite(outcome->resultId, true);
    engine->results()->prune(1);
    EXPECT_EQ(engine->results()->count(), 1u) << "a favourite outlives the cap";
}

TEST_F(Recording, QueuedJobsReorderAndTheUsersOrderBeatsPriority) {
    engine->pause();
    std::vector<JobId> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(engine->submit(request()));
    JobRequest urgent = request();
    urgent.priority = 5;
    const auto first = engine->submit(urgent);
    EXPECT_EQ(engine->queuedOrder(), (std::vector<JobId>{first, ids[0], ids[1], ids[2]}));
    EXPECT_TRUE(engine->moveQueued(ids[2], ids[0]));
    EXPECT_EQ(engine->queuedOrder(), (std::vector<JobId>{first, ids[2], ids[0], ids[1]}));
    EXPECT_TRUE(engine->moveQueued(first, 0));
    EXPECT_EQ(engine->queuedOrder(), (std::vector<JobId>{ids[2], ids[0], ids[1], first}));
    EXPECT_TRUE(engine->moveQueued(ids[1], ids[2]));
    EXPECT_EQ(engine->queuedOrder(), (std::vector<JobId>{ids[1], ids[2], ids[0], first}));
    EXPECT_FALSE(engine->moveQueued(9999, 0));
    EXPECT_FALSE(engine->moveQueued(ids[0], 9999));
    engine->resume();
    for (auto id : {ids[0], ids[1], ids[2], first}) sink->waitEnd(id);
    std::lock_guard lock(sink->m_mutex);
    EXPECT_EQ(sink->startOrder, (std::vector<JobId>{ids[1], ids[2], ids[0], first})) << "they ran in the new order";
}

TEST_F(Recording, QueuedJobsSurviveARestartAndComeBackPaused) {
    engine->pause();
    // The first one is running when the studio stops, the others queued.
    JobRequest a = request({{"size", std::int64_t(24)}, {"steps", std::int64_t(50)}, {"step_ms", std::int64_t(20)}}, 11);
    a.inputs.prompt = "first in line";
    const auto running = engine->submit(a);
    engine->submit(request({}, 12));
    JobRequest lane = request();
    lane.lane = "sliders";  // never kept: it would be stale after a restart
    engine->submit(lane);
    ASSERT_EQ(engine->queuedOrder().front(), running);
    engine->moveQueued(engine->queuedOrder().back(), running);  // the lane job first: it runs and is gone
    engine->resume();
    for (int i = 0; i < 500 && engine->status(running) != JobState::Running; ++i) std::this_thread::sleep_for(5ms);
    engine->pause();
    ASSERT_EQ(engine->status(running), JobState::Running);
    engine.reset();  // shutting down cancels them: the file must keep them anyway
    ASSERT_TRUE(fs::exists(config().queueFile));

    sink = std::make_shared<test::RecordingSink>();  // job ids start again at 1
    start(config());
    EXPECT_FALSE(engine->paused());
    EXPECT_EQ(engine->restoreQueue(), 2u);
    EXPECT_TRUE(engine->paused()) << "restored jobs wait for the user";
    const auto order = engine->queuedOrder();
    ASSERT_EQ(order.size(), 2u);
    EXPECT_EQ(engine->job(order[0])->seed, 11u);
    EXPECT_EQ(engine->job(order[1])->seed, 12u);
    engine->resume();
    for (auto id : order) EXPECT_EQ(sink->waitEnd(id).state, JobState::Finished);
    const auto kept = engine->waitForResult(order[0], 10s);
    ASSERT_TRUE(kept && kept->kept());
    EXPECT_EQ(engine->results()->get(kept->resultId)->prompt, "first in line");
    EXPECT_EQ(std::get<std::int64_t>(provenanceFromJson(engine->results()->get(kept->resultId)->provenanceJson)
                                         .params.at("size")),
              24);
    engine.reset();  // the file is written on its own thread; a shutdown waits for it
    EXPECT_FALSE(fs::exists(config().queueFile)) << "nothing left to keep";
}

TEST_F(Recording, ADamagedQueueFileIsSetAsideNotFatal) {
    engine.reset();
    fs::create_directories(home.path() / "results");
    { std::ofstream(config().queueFile) << "{\"version\": 1, \"jobs\": [{\"model\": 5}]}"; }
    start(config());
    EXPECT_EQ(engine->restoreQueue(), 0u);
    EXPECT_FALSE(engine->paused());
    EXPECT_TRUE(fs::exists(fs::path(config().queueFile.string() + ".damaged")));
}

// SIGKILL while results are being saved: the database stays consistent, every
// committed result's files exist and hash-match, and nothing is left unlisted.
TEST(ResultLibraryCrash, KilledDuringABurstOfSavesLosesNothingCommitted) {
    test::TempDir dir;
    for (int round = 0; round < 4; ++round) {
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            try {
                ResultLibrary lib(dir.path());
                for (int i = 0;; ++i) {
                    NewResult r;
                    r.modality = "image";
                    r.modelId = "pattern";
                    r.task = "image.sample";
                    r.prompt = "burst " + std::to_string(round) + " " + std::to_string(i);
                    r.provenanceJson = "{}";
                    r.outputs.push_back({"image", ".png", std::string(20000 + i % 997, char('a' + i % 26))});
                    r.outputs.push_back({"text", ".txt", r.prompt});
                    r.thumbnailPng = std::string(500, 't');
                    lib.add(r);
                }
            } catch (...) {
            }
            _exit(3);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250 + 130 * round));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped on its own (status " << status << ")";
    }
    ResultLibrary lib(dir.path());
    EXPECT_EQ(lib.integrityCheck(), "ok");
    EXPECT_TRUE(lib.damagedResults().empty());
    const auto all = lib.query({.limit = 1000000});
    EXPECT_GT(all.size(), 0u) << "some results were committed before each kill";
    std::size_t listed = 0;
    for (const auto& r : all) {
        for (const auto& f : r.files) {
            std::ifstream in(lib.absolute(f.path), std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(in), {}};
            EXPECT_EQ(Sha256::hex(bytes.data(), bytes.size()), f.sha256) << f.path;
        }
        listed += r.files.size() + (r.thumbnail.empty() ? 0 : 1);
    }
    // No stray output: every file on disk belongs to a committed result
    // (leftovers of the interrupted add were removed when it was reopened).
    std::size_t onDisk = 0;
    for (const char* sub : {"files", "thumbs"}) {
        std::error_code ec;
        for (fs::recursive_directory_iterator it(dir.path() / sub, ec), end; it != end; it.increment(ec))
            if (it->is_regular_file()) ++onDisk;
    }
    EXPECT_EQ(onDisk, listed);
}

#endif  // LATENT_TEST_SQLITE
