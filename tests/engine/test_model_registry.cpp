// model.json validation, discovery across roots, checksum cache.
#include <gtest/gtest.h>

#include <fstream>

#include "FixturePackage.h"
#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/ModelRegistry.h"

using namespace latent;

namespace {

void writeText(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string manifestError(const std::string& json) {
    test::TempDir dir;
    writeText(dir.path() / "model.json", json);
    try {
        readModelManifest(dir.path() / "model.json");
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
        return e.what();
    }
    return "";
}

const char* kGood = R"({"id":"m","name":"M","family":"f","version":"1","tasks":["image.sample"],
  "files":[{"path":"w.bin","bytes":3,"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]})";

}  // namespace

TEST(ModelManifest, ReadsAValidManifestAndRoundTrips) {
    test::TempDir dir;
    writeText(dir.path() / "model.json", kGood);
    auto p = readModelManifest(dir.path() / "model.json");
    EXPECT_EQ(p.id, "m");
    EXPECT_EQ(p.files.at(0).bytes, 3u);
    std::filesystem::create_directories(dir.path() / "copy");  // package folders are made by their writer
    writeModelManifest(p, dir.path() / "copy/model.json");
    auto q = readModelManifest(dir.path() / "copy/model.json");
    EXPECT_EQ(modelManifestToJson(p), modelManifestToJson(q));
}

TEST(ModelManifest, ErrorsNameTheField) {
    EXPECT_NE(manifestError("{not json").find("not valid JSON"), std::string::npos);
    EXPECT_NE(manifestError("[]").find("JSON object"), std::string::npos);
    EXPECT_NE(manifestError(R"({"name":"x"})").find("field 'id' is missing"), std::string::npos);
    std::string j = kGood;
    EXPECT_NE(manifestError(std::string(j).replace(j.find("\"1\""), 3, "1")).find("'version' must be a string"),
              std::string::npos);
    EXPECT_NE(manifestError(std::string(j).replace(j.find("w.bin"), 5, "../../etc/passwd"))
                  .find("files[0].path"),
              std::string::npos);
    EXPECT_NE(manifestError(std::string(j).replace(j.find("ba78"), 4, "zz78")).find("files[0].sha256"),
              std::string::npos);
    EXPECT_NE(manifestError(std::string(j).replace(j.find("[\"image.sample\"]"), 16, "[]")).find("'tasks'"),
              std::string::npos);
    EXPECT_NE(manifestError(std::string(j).replace(j.find("\"m\""), 3, "\"a/b\"")).find("'id'"), std::string::npos);
}

TEST(ModelRegistry, ScansRootsKeepsFirstOfDuplicateIdsAndListsInvalidOnes) {
    test::TempDir a, b;
    test::writeFixtureImagePackage(a.path(), "one");
    test::writeFixtureImagePackage(b.path(), "one");
    test::writeFixtureImagePackage(b.path(), "two");
    writeText(b.path() / "bad/model.json", "{");
    ModelRegistry reg({a.path(), b.path(), "/nonexistent/dir"}, {});
    auto entries = reg.entries();
    ASSERT_EQ(entries.size(), 4u);
    int valid = 0;
    for (auto& e : entries) valid += e.valid;
    EXPECT_EQ(valid, 2);
    EXPECT_EQ(reg.find("one")->dir, a.path() / "one");
    EXPECT_TRUE(reg.find("two"));
    bool sawDuplicate = false, sawBad = false;
    for (auto& e : entries) {
        sawDuplicate |= e.error.find("already provided") != std::string::npos;
        sawBad |= e.error.find("not valid JSON") != std::string::npos;
    }
    EXPECT_TRUE(sawDuplicate);
    EXPECT_TRUE(sawBad);
}

TEST(ModelRegistry, RootMayBeASinglePackageAndAddRootRescans) {
    test::TempDir a, b;
    ModelRegistry reg({a.path()}, {});
    EXPECT_TRUE(reg.entries().empty());
    test::writeFixtureImagePackage(b.path(), "solo");
    reg.addRoot(b.path() / "solo");
    EXPECT_TRUE(reg.find("solo"));
    EXPECT_TRUE(reg.removeRoot(b.path() / "solo"));
    EXPECT_FALSE(reg.find("solo"));
    EXPECT_FALSE(reg.removeRoot(b.path() / "solo"));
}

TEST(ModelRegistry, VerifyCachesHashesBySizeAndMtime) {
    test::TempDir dir;
    auto p = test::writeFixtureImagePackage(dir.path() / "models", "m");
    const auto cacheFile = dir.path() / "checksums.json";
    {
        ModelRegistry reg({dir.path() / "models"}, cacheFile);
        EXPECT_NO_THROW(reg.verify(p));
    }
    ASSERT_TRUE(std::filesystem::exists(cacheFile));
    // A changed file (same size, new mtime) is re-hashed and caught.
    std::filesystem::last_write_time(p.dir / "weights.bin",
                                     std::filesystem::last_write_time(p.dir / "weights.bin") + std::chrono::seconds(5));
    {
        std::fstream f(p.dir / "weights.bin", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(0);
        f.put('X');
    }
    ModelRegistry reg({dir.path() / "models"}, cacheFile);
    try {
        reg.verify(p);
        FAIL() << "expected a checksum error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("sha256"), std::string::npos);
    }
    std::filesystem::remove(p.dir / "weights.bin");
    EXPECT_THROW(reg.verify(p), Error);
}
