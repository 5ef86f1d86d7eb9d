// Engine scheduling: priorities, lanes, cancellation, failures, shutdown.
#include <gtest/gtest.h>

#include <thread>

#include "TestSupport.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/JobContext.h"

using namespace latent;
using namespace std::chrono_literals;
using latent::test::RecordingSink;

namespace {

EngineConfig bareConfig() {
    EngineConfig c;
    c.discoverCuda = false;
    c.threads = 1;
    c.appVersion = "test";
    return c;
}

JobRequest work(JobFunction fn, int priority = 0, std::string lane = {}) {
    JobRequest r;
    r.work = std::move(fn);
    r.priority = priority;
    r.lane = std::move(lane);
    return r;
}

// Runs until stopped (or a generous limit, so a broken engine fails instead of hanging).
void untilStopped(JobContext& ctx) {
    const auto limit = std::chrono::steady_clock::now() + 20s;
    while (!ctx.stopRequested() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
    ctx.throwIfStopped();
}

struct Fixture : ::testing::Test {
    std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
    Engine engine{bareConfig()};
    void SetUp() override { engine.addSink(sink); }
};

}  // namespace

TEST_F(Fixture, HigherPriorityRunsFirstAndEqualPrioritiesKeepOrder) {
    engine.pause();
    const auto low = engine.submit(work([](JobContext&) {}, 0));
    const auto high = engine.submit(work([](JobContext&) {}, 10));
    const auto mid1 = engine.submit(work([](JobContext&) {}, 5));
    const auto mid2 = engine.submit(work([](JobContext&) {}, 5));
    EXPECT_EQ(engine.status(low), JobState::Queued);
    engine.resume();
    for (auto id : {low, high, mid1, mid2}) EXPECT_EQ(sink->waitEnd(id).state, JobState::Finished);
    std::lock_guard lock(sink->m_mutex);
    EXPECT_EQ(sink->startOrder, (std::vector<JobId>{high, mid1, mid2, low}));
}

TEST_F(Fixture, EventsArriveInOrder) {
    const auto id = engine.submit(work([](JobContext& ctx) {
        ctx.progress(1, 2);
        ctx.emit(Metric{"loss", 0.5, 1});
    }));
    EXPECT_EQ(sink->waitEnd(id).state, JobState::Finished);
    EXPECT_EQ(sink->eventsOf(id), (std::vector<std::string>{"queued", "started", "finished"}));
    std::lock_guard lock(sink->m_mutex);
    ASSERT_EQ(sink->chunks[id].size(), 1u);
    EXPECT_EQ(std::get<Metric>(*sink->chunks[id][0]).value, 0.5);
    ASSERT_EQ(sink->progress[id].size(), 1u);
    EXPECT_EQ(sink->progress[id][0].done, 1);
    EXPECT_GE(sink->progress[id][0].etaMs, 0);
}

TEST_F(Fixture, EtaFollowsTheCurrentPhase) {
    // A slow first phase, then a quick second one that counts from 0 again
    // (training, then scoring): its ETA must come from its own rate.
    const auto id = engine.submit(work([](JobContext& ctx) {
        ctx.progress(0, 10);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        ctx.progress(10, 10);
        ctx.progress(100, 1500);
        ctx.progress(200, 1500);
    }));
    EXPECT_EQ(sink->waitEnd(id).state, JobState::Finished);
    std::lock_guard lock(sink->m_mutex);
    const auto& p = sink->progress[id];
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[1].etaMs, 0);
    EXPECT_LT(p[2].etaMs, 0) << "no rate yet in the new phase";
    // Against the whole job's clock this would be >= 500 * 1300 / 200 = 3250 ms.
    EXPECT_GE(p[3].etaMs, 0);
    EXPECT_LT(p[3].etaMs, 1500);
    EXPECT_GE(p[3].elapsedMs, 500);  // elapsed still counts the whole job
}

TEST_F(Fixture, LaneLatestWinsAndRunningJobIsMarkedStale) {
    std::atomic<bool> release{false};
    std::atomic<bool> sawStale{false};
    std::atomic<bool> started{false};
    const auto first = engine.submit(work(
        [&](JobContext& ctx) {
            started = true;
            while (!release) std::this_thread::sleep_for(1ms);
            sawStale = ctx.stale();
            ctx.emit(Metric{"value", 1, 0});
        },
        0, "sliders"));
    while (!started) std::this_thread::sleep_for(1ms);
    std::vector<JobId> drags;
    std::atomic<int> ran{0};
    for (int i = 0; i < 20; ++i)
        drags.push_back(engine.submit(work([&](JobContext&) { ++ran; }, 0, "sliders")));
    // Another lane is untouched.
    const auto other = engine.submit(work([](JobContext&) {}, 0, "text"));
    release = true;
    EXPECT_EQ(sink->waitEnd(first).state, JobState::Finished);
    EXPECT_TRUE(sawStale);
    EXPECT_TRUE(sink->waitEnd(first).stale);
    for (std::size_t i = 0; i + 1 < drags.size(); ++i) EXPECT_EQ(sink->waitEnd(drags[i]).state, JobState::Cancelled);
    EXPECT_EQ(sink->waitEnd(drags.back()).state, JobState::Finished);
    EXPECT_EQ(sink->waitEnd(other).state, JobState::Finished);
    EXPECT_EQ(ran.load(), 1);
    std::lock_guard lock(sink->m_mutex);
    EXPECT_EQ(sink->chunks[first].size(), 1u) << "a stale job's results still arrive";
    // Replaced jobs never started.
    for (std::size_t i = 0; i + 1 < drags.size(); ++i)
        EXPECT_EQ(sink->events[drags[i]], (std::vector<std::string>{"queued", "cancelled"}));
}

TEST_F(Fixture, CancelQueuedJobEndsAtOnceWithoutStarting) {
    engine.pause();
    std::atomic<bool> ran{false};
    const auto id = engine.submit(work([&](JobContext&) { ran = true; }));
    EXPECT_TRUE(engine.cancel(id));
    EXPECT_EQ(engine.status(id), JobState::Cancelled);
    EXPECT_FALSE(engine.cancel(id)) << "a second cancel is a no-op";
    engine.resume();
    EXPECT_EQ(sink->waitEnd(id).state, JobState::Cancelled);
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(ran);
    EXPECT_EQ(sink->eventsOf(id), (std::vector<std::string>{"queued", "cancelled"}));
}

TEST_F(Fixture, CancelRunningJobStopsItQuickly) {
    std::atomic<bool> started{false};
    const auto id = engine.submit(work([&](JobContext& ctx) {
        started = true;
        untilStopped(ctx);
    }));
    while (!started) std::this_thread::sleep_for(1ms);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(engine.cancel(id));
    EXPECT_EQ(sink->waitEnd(id, 5s).state, JobState::Cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
}

TEST_F(Fixture, FailuresPropagateWithKindAndMessage) {
    const auto typed = engine.submit(work([](JobContext&) { throw Error(ErrorKind::BadArgument, "size must be even"); }));
    const auto plain = engine.submit(work([](JobContext&) { throw std::runtime_error("boom"); }));
    const auto after = engine.submit(work([](JobContext&) {}));
    auto e1 = sink->waitEnd(typed);
    EXPECT_EQ(e1.state, JobState::Failed);
    EXPECT_EQ(e1.kind, ErrorKind::BadArgument);
    EXPECT_EQ(e1.message, "size must be even");
    auto e2 = sink->waitEnd(plain);
    EXPECT_EQ(e2.kind, ErrorKind::Runtime);
    EXPECT_EQ(e2.message, "boom");
    EXPECT_EQ(sink->waitEnd(after).state, JobState::Finished) << "the worker survives failures";
}

TEST_F(Fixture, UnknownDeviceFailsTheJobNotTheEngine) {
    JobRequest r = work([](JobContext&) {});
    r.device = "cuda:7";
    const auto id = engine.submit(r);
    auto e = sink->waitEnd(id);
    EXPECT_EQ(e.state, JobState::Failed);
    EXPECT_EQ(e.kind, ErrorKind::Device);
    EXPECT_NE(e.message.find("cuda:7"), std::string::npos);
}

TEST_F(Fixture, SeedIsDrawnWhenAbsentAndKeptWhenGiven) {
    JobRequest r = work([](JobContext&) {});
    r.seed = 1234;
    const auto given = engine.submit(r);
    const auto drawn = engine.submit(work([](JobContext&) {}));
    EXPECT_EQ(sink->waitEnd(given).provenance.seed, 1234u);
    sink->waitEnd(drawn);
    EXPECT_LT(sink->waitEnd(drawn).provenance.seed, 1ull << 32);
}

TEST_F(Fixture, WaitReturnsWhenJobEnds) {
    const auto id = engine.submit(work([](JobContext&) { std::this_thread::sleep_for(20ms); }));
    EXPECT_TRUE(engine.wait(id, 5s));
    EXPECT_EQ(engine.status(id), JobState::Finished);
}

TEST(EngineShutdown, RunningAndQueuedJobsEndCancelledWithinASecond) {
    auto sink = std::make_shared<RecordingSink>();
    std::vector<JobId> ids;
    std::chrono::steady_clock::duration took{};
    {
        Engine engine(bareConfig());
        engine.addSink(sink);
        std::atomic<bool> started{false};
        ids.push_back(engine.submit(work([&](JobContext& ctx) {
            started = true;
            untilStopped(ctx);
        })));
        for (int i = 0; i < 5; ++i) ids.push_back(engine.submit(work(untilStopped)));
        while (!started) std::this_thread::sleep_for(1ms);
        const auto t0 = std::chrono::steady_clock::now();
        engine.shutdown();
        took = std::chrono::steady_clock::now() - t0;
        JobRequest late = work([](JobContext&) {});
        const auto rejected = engine.submit(late);
        EXPECT_EQ(sink->waitEnd(rejected, 1s).state, JobState::Failed);
    }
    EXPECT_LT(took, 1s);
    for (auto id : ids) EXPECT_EQ(sink->waitEnd(id, 1s).state, JobState::Cancelled);
}

TEST(EngineShutdown, UncooperativeJobIsAbandonedNotWaitedFor) {
    auto sink = std::make_shared<RecordingSink>();
    std::atomic<bool> started{false};
    std::atomic<bool> done{false};
    JobId id = 0;
    std::chrono::steady_clock::time_point t0;
    {
        Engine engine(bareConfig());
        engine.addSink(sink);
        id = engine.submit(work([&](JobContext&) {
            started = true;
            std::this_thread::sleep_for(1500ms);  // ignores its stop flag
            done = true;
        }));
        while (!started) std::this_thread::sleep_for(1ms);
        t0 = std::chrono::steady_clock::now();
        engine.shutdown(200ms);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
    EXPECT_FALSE(done);
    // The abandoned worker still ends its job and reports it.
    EXPECT_EQ(sink->waitEnd(id, 5s).state, JobState::Cancelled);
    while (!done) std::this_thread::sleep_for(5ms);
}

TEST(EngineStress, ThousandRapidSubmitCancelCallsNeitherDeadlockNorLoseJobs) {
    auto sink = std::make_shared<RecordingSink>();
    Engine engine(bareConfig());
    engine.addSink(sink);
    std::vector<JobId> ids[2];
    auto client = [&](int t) {
        std::mt19937 rng(t);
        for (int i = 0; i < 500; ++i) {
            // A few microseconds of work that polls its stop flag (no yield or
            // sleep: those can take a whole time slice on a loaded machine).
            JobRequest r = work([](JobContext& ctx) {
                volatile int sink = 0;
                for (int k = 0; k < 2000 && !ctx.stopRequested(); ++k) sink = sink + k;
            }, int(rng() % 3), (rng() % 4 == 0) ? "lane" + std::to_string(t) : "");
            const auto id = engine.submit(r);
            ids[t].push_back(id);
            if (rng() % 2) engine.cancel(id);
            if (rng() % 7 == 0 && !ids[t].empty()) engine.cancel(ids[t][rng() % ids[t].size()]);
        }
    };
    std::thread a(client, 0), b(client, 1);
    a.join();
    b.join();
    for (auto& list : ids)
        for (auto id : list) {
            // Generous: only a deadlock or a lost job can take this long.
            ASSERT_TRUE(engine.wait(id, 60s)) << "job " << id << " never ended";
            EXPECT_TRUE(isTerminal(engine.status(id)) || engine.status(id) == JobState::Invalid);
        }
    std::lock_guard lock(sink->m_mutex);
    EXPECT_EQ(sink->terminalCount.size(), 1000u);
    for (auto& [id, n] : sink->terminalCount) EXPECT_EQ(n, 1) << "job " << id << " ended " << n << " times";
}
