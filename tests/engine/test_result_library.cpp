// The results library on its own: round trip, search, favourites, the trash,
// pruning, damaged databases and a write that cannot happen.
#if LATENT_TEST_SQLITE
#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/formats/Sha256.h"
#include "latent/library/ResultLibrary.h"

#include <sqlite3.h>

using namespace latent;
namespace fs = std::filesystem;

namespace {

NewResult imageResult(const std::string& prompt, std::int64_t createdMs, std::size_t bytes = 100) {
    NewResult r;
    r.modality = "image";
    r.modelId = "pattern";
    r.task = "image.sample";
    r.label = "pattern · image.sample";
    r.prompt = prompt;
    r.seed = 42;
    r.provenanceJson = R"({"model_id":"pattern","seed":42})";
    r.createdMs = createdMs;
    r.outputs.push_back({"image", ".png", std::string(bytes, 'p')});
    r.thumbnailPng = "thumb";
    return r;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t filesUnder(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec))
        if (it->is_regular_file()) ++n;
    return n;
}

}  // namespace

TEST(ResultLibrary, RoundTripKeepsEverythingAndTheFilesHashMatch) {
    test::TempDir dir;
    std::int64_t id = 0;
    {
        ResultLibrary lib(dir.path());
        NewResult r = imageResult("a red fox in snow", 1'700'000'000'000);
        r.outputs.push_back({"text", ".txt", "and a caption"});
        r.durationMs = 12.5;
        id = lib.add(r);
        EXPECT_GT(id, 0);
    }
    ResultLibrary lib(dir.path());  // reopened: nothing lived only in memory
    const auto got = lib.get(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->prompt, "a red fox in snow");
    EXPECT_EQ(got->modality, "image");
    EXPECT_EQ(got->modelId, "pattern");
    EXPECT_EQ(got->seed, 42u);
    EXPECT_EQ(got->provenanceJson, R"({"model_id":"pattern","seed":42})");
    EXPECT_DOUBLE_EQ(got->durationMs, 12.5);
    EXPECT_EQ(got->createdMs, 1'700'000'000'000);
    ASSERT_EQ(got->files.size(), 2u);
    EXPECT_EQ(got->files[0].kind, "image");
    EXPECT_EQ(slurp(lib.absolute(got->files[0].path)), std::string(100, 'p'));
    EXPECT_EQ(got->files[0].sha256, Sha256::hex(std::string(100, 'p').data(), 100));
    EXPECT_EQ(slurp(lib.absolute(got->files[1].path)), "and a caption");
    EXPECT_EQ(slurp(lib.absolute(got->thumbnail)), "thumb");
    EXPECT_EQ(lib.integrityCheck(), "ok");
    EXPECT_TRUE(lib.damagedResults().empty());
    EXPECT_EQ(lib.totalBytes(), 100u + 13u + 5u);
}

TEST(ResultLibrary, SearchMatchesPromptWordsTagsAndModelNewestFirst) {
    test::TempDir dir;
    ResultLibrary lib(dir.path());
    const auto fox = lib.add(imageResult("a red fox in snow", 1000));
    const auto owl = lib.add(imageResult("an owl at night", 2000));
    NewResult text = imageResult("once upon a time, a fox", 3000);
    text.modality = "text";
    text.modelId = "prose";
    text.outputs = {{"text", ".txt", "..."}};
    const auto story = lib.add(text);

    auto ids = [&](ResultQuery q) {
        std::vector<std::int64_t> out;
        for (const auto& r : lib.query(q)) out.push_back(r.id);
        return out;
    };
    EXPECT_EQ(ids({}), (std::vector<std::int64_t>{story, owl, fox})) << "newest first";
    EXPECT_EQ(ids({.search = "fox"}), (std::vector<std::int64_t>{story, fox}));
    EXPECT_EQ(ids({.search = "fo"}), (std::vector<std::int64_t>{story, fox})) << "words match as prefixes";
    EXPECT_EQ(ids({.search = "red fox"}), (std::vector<std::int64_t>{fox})) << "every word must match";
    EXPECT_EQ(ids({.search = "FOX"}), (std::vector<std::int64_t>{story, fox}));
    EXPECT_EQ(ids({.modality = "text"}), (std::vector<std::int64_t>{story}));
    EXPECT_EQ(ids({.modelId = "pattern"}), (std::vector<std::int64_t>{owl, fox}));
    EXPECT_EQ(ids({.sinceMs = 1500, .untilMs = 2500}), (std::vector<std::int64_t>{owl}));
    EXPECT_EQ(ids({.search = "prose"}), (std::vector<std::int64_t>{story})) << "model ids are searchable";
    lib.setTags(owl, {"keeper", "night sky"});
    EXPECT_EQ(ids({.search = "keeper"}), (std::vector<std::int64_t>{owl})) << "tags are searchable once set";
    EXPECT_EQ(lib.get(owl)->tags, (std::vector<std::string>{"keeper", "night sky"}));
    // Whatever the search box holds is words, never FTS syntax.
    for (const char* hostile : {"\"", "fox OR", "AND", "a*b", "NEAR(", "-fox", "'", "col:fox", "\xff\xfe"})
        EXPECT_NO_THROW(lib.query({.search = hostile})) << hostile;
    EXPECT_EQ(ids({.limit = 1, .offset = 1}), (std::vector<std::int64_t>{owl}));
    EXPECT_EQ(lib.modelIds(), (std::vector<std::string>{"pattern", "prose"}));
}

TEST(ResultLibrary, FavouritesRatingsAndTheTrashAreUndoable) {
    test::TempDir dir;
    ResultLibrary lib(dir.path());
    const auto a = lib.add(imageResult("one", 1000));
    const auto b = lib.add(imageResult("two", 2000));
    lib.setFavourite(a, true);
    lib.setRating(a, 9);
    EXPECT_TRUE(lib.get(a)->favourite);
    EXPECT_EQ(lib.get(a)->rating, 5) << "clamped";
    EXPECT_EQ(lib.query({.favouritesOnly = true}).size(), 1u);

    lib.trash(b);
    EXPECT_EQ(lib.count(), 1u);
    EXPECT_EQ(lib.count(true), 1u);
    EXPECT_EQ(lib.query({.trashed = true}).front().id, b);
    const auto file = lib.absolute(lib.get(b)->files[0].path);
    EXPECT_TRUE(fs::exists(file)) << "the trash keeps the files";
    lib.restore(b);
    EXPECT_EQ(lib.count(), 2u);
    lib.purge(b);
    EXPECT_FALSE(lib.get(b));
    EXPECT_FALSE(fs::exists(file));
}

TEST(ResultLibrary, PruningRemovesTheOldestFirstAndNeverFavourites) {
    test::TempDir dir;
    ResultLibrary lib(dir.path());
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(lib.add(imageResult("r" + std::to_string(i), 1000 * (i + 1), 1000)));
    lib.setFavourite(ids[0], true);  // the oldest: a favourite
    lib.trash(ids[4]);               // the trash goes first
    // Each result takes 1000 + 5 (thumbnail) bytes; a cap of 3100 keeps three.
    const auto removed = lib.prune(3100);
    EXPECT_EQ(removed, 3u);
    EXPECT_TRUE(lib.get(ids[0])) << "favourites are never pruned";
    EXPECT_FALSE(lib.get(ids[4])) << "the trash is pruned first";
    EXPECT_FALSE(lib.get(ids[1]));
    EXPECT_FALSE(lib.get(ids[2]));
    EXPECT_TRUE(lib.get(ids[3]));
    EXPECT_TRUE(lib.get(ids[5]));
    EXPECT_LE(lib.totalBytes(), 3100u);
    // Only favourites left over the cap: they stay.
    EXPECT_EQ(lib.prune(0), 2u);
    EXPECT_TRUE(lib.get(ids[0]));
    EXPECT_EQ(lib.count(), 1u);
}

TEST(ResultLibrary, AResultWhoseFilesWereDeletedByHandIsReportedNotFatal) {
    test::TempDir dir;
    ResultLibrary lib(dir.path());
    const auto a = lib.add(imageResult("kept", 1000));
    const auto b = lib.add(imageResult("gone", 2000));
    fs::remove(lib.absolute(lib.get(b)->files[0].path));
    EXPECT_EQ(lib.damagedResults(), (std::vector<std::int64_t>{b}));
    EXPECT_TRUE(lib.damagedResults({a}).empty());
    EXPECT_EQ(lib.query({}).size(), 2u);
    EXPECT_NO_THROW(lib.purge(b));
}

TEST(ResultLibrary, AFileThatIsNotADatabaseIsRefusedAndLeftAlone) {
    test::TempDir dir;
    const std::string garbage(8192, '\x5a');
    {
        std::ofstream out(dir.path() / "results.sqlite", std::ios::binary);
        out << garbage;
    }
    try {
        ResultLibrary lib(dir.path());
        FAIL() << "a garbage database opened";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        const std::string what = e.what();
        EXPECT_NE(what.find("results.sqlite"), std::string::npos) << what;
    }
    EXPECT_EQ(slurp(dir.path() / "results.sqlite"), garbage) << "nothing is written into it";
}

TEST(ResultLibrary, ADatabaseTruncatedMidPageIsReportedAsDamaged) {
    test::TempDir dir;
    {
        ResultLibrary lib(dir.path());
        for (int i = 0; i < 50; ++i) lib.add(imageResult("prompt number " + std::to_string(i), 1000 + i));
    }
    const auto db = dir.path() / "results.sqlite";
    const auto size = fs::file_size(db);
    ASSERT_GT(size, 8192u);
    fs::resize_file(db, size / 2 + 100);
    // Either refused with a message or opened and says what is wrong: never a crash.
    try {
        ResultLibrary lib(dir.path());
        EXPECT_NE(lib.integrityCheck(), "ok");
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("results.sqlite"), std::string::npos) << e.what();
    }
}

TEST(ResultLibrary, AWriteThatFailsLeavesNoRowAndNoFile) {
    test::TempDir dir;
    ResultLibrary lib(dir.path());
    lib.add(imageResult("before", 1000));
    // files/ becomes a plain file: every output write fails, as on a full or
    // read-only disk (root ignores permissions, so this stands in for both).
    fs::remove_all(dir.path() / "files");
    { std::ofstream(dir.path() / "files") << "x"; }
    EXPECT_THROW(lib.add(imageResult("during", 2000)), Error);
    EXPECT_EQ(lib.count(), 1u);
    EXPECT_EQ(filesUnder(dir.path() / "thumbs"), 1u) << "the failed result's thumbnail was removed again";
    fs::remove(dir.path() / "files");
    EXPECT_GT(lib.add(imageResult("after", 3000)), 0) << "the library still works";
    EXPECT_EQ(lib.count(), 2u);
    EXPECT_EQ(lib.integrityCheck(), "ok");
}

// Direct SQL on the file, as another (newer, or crashed) program left it.
void sql(const fs::path& db, const std::string& statement) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(h);
}

TEST(ResultLibrary, ANewerSchemaIsRefusedByName) {
    test::TempDir dir;
    { ResultLibrary lib(dir.path()); }
    sql(dir.path() / "results.sqlite", "PRAGMA user_version = 99");
    try {
        ResultLibrary lib(dir.path());
        FAIL() << "a newer schema opened";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("newer Latent Studio"), std::string::npos) << e.what();
    }
}

TEST(ResultLibrary, FilesOfAnAddACrashInterruptedAreRemovedOnOpen) {
    test::TempDir dir;
    std::int64_t kept = 0;
    {
        ResultLibrary lib(dir.path());
        kept = lib.add(imageResult("kept", 1000));
    }
    // What a crash between writing the files and committing the row leaves.
    fs::create_directories(dir.path() / "files/2026-12");
    { std::ofstream(dir.path() / "files/2026-12/orphan.png") << "half"; }
    sql(dir.path() / "results.sqlite", "INSERT INTO pending(path) VALUES ('files/2026-12/orphan.png')");
    ResultLibrary lib(dir.path());
    EXPECT_FALSE(fs::exists(dir.path() / "files/2026-12/orphan.png"));
    EXPECT_TRUE(lib.get(kept));
    EXPECT_TRUE(lib.damagedResults().empty());
}

#endif  // LATENT_TEST_SQLITE
