// The write policy for package and training folders: trainers replace only
// packages they trained, never remove what they did not create, and save
// checkpoints as one set.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "latent/CheckpointFolder.h"
#include "latent/Error.h"
#include "latent/PackageFolder.h"

using namespace latent;
namespace fs = std::filesystem;

namespace {

std::set<std::string> names(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

std::string read(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A package as a trainer of `family` writes it.
void writeTrained(const fs::path& dir, const std::string& family, const std::string& recipe) {
    ModelPackage p;
    p.id = "m";
    p.name = "M";
    p.family = family;
    p.version = "1.0.0";
    p.tasks = {"image.sample"};
    p.provenance = {{"recipe", recipe}};
    fs::create_directories(dir);
    writeModelManifest(p, dir / "model.json");
}

std::string refusal(const std::string& out, const std::string& family) {
    try {
        packageOutputFolder(out, family);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST(PackageFolder, TrainersReplaceOnlyTheirOwnPackages) {
    test::TempDir tmp;
    const fs::path notes = tmp.path() / "notes";
    fs::create_directories(notes);
    std::ofstream(notes / "diary.txt") << "mine";
    EXPECT_NE(refusal(notes.string(), "text-gpt").find("holds no model package"), std::string::npos);
    writeTrained(tmp.path() / "imported", "text-gpt", "");
    EXPECT_NE(refusal((tmp.path() / "imported").string(), "text-gpt").find("not trained by Latent Studio"),
              std::string::npos);
    writeTrained(tmp.path() / "vae", "image-vae", "latent-studio train image --family vae");
    EXPECT_NE(refusal((tmp.path() / "vae").string(), "text-gpt").find("holds a package of family image-vae"), std::string::npos);
    std::ofstream(tmp.path() / "file") << "x";
    EXPECT_NE(refusal((tmp.path() / "file").string(), "text-gpt").find("it is a file"), std::string::npos);
    EXPECT_NE(refusal((tmp.path() / "missing" / "out").string(), "text-gpt").find("does not exist"), std::string::npos);
    // Its own earlier package, or a new folder, is fine.
    writeTrained(tmp.path() / "gpt", "text-gpt", "latent-studio train text --data a.txt");
    EXPECT_EQ(packageOutputFolder((tmp.path() / "gpt/").string(), "text-gpt"), tmp.path() / "gpt");
    EXPECT_EQ(packageOutputFolder((tmp.path() / "new").string(), "text-gpt"), tmp.path() / "new");
    EXPECT_EQ(read(notes / "diary.txt"), "mine");
}

TEST(PackageFolder, ReplacingKeepsNoTraceAndNeverTouchesOthers) {
    test::TempDir tmp;
    const fs::path dest = tmp.path() / "gpt";
    writeTrained(dest, "text-gpt", "latent-studio train text");
    // A user's folder whose name the old code used for its own scratch space.
    fs::create_directories(tmp.path() / ".old-gpt");
    std::ofstream(tmp.path() / ".old-gpt" / "keep.txt") << "keep";
    const fs::path staging = makeStagingFolder(dest);
    writeTrained(staging, "text-gpt", "latent-studio train text --steps 2");
    replacePackageFolder(staging, dest, "text-gpt");
    EXPECT_NE(read(dest / "model.json").find("--steps 2"), std::string::npos);
    EXPECT_EQ(names(tmp.path()), (std::set<std::string>{".old-gpt", "gpt"}));
    EXPECT_EQ(read(tmp.path() / ".old-gpt" / "keep.txt"), "keep");

    // A folder that turned into someone else's meanwhile is not replaced.
    fs::remove_all(dest);
    fs::create_directories(dest);
    std::ofstream(dest / "theirs.txt") << "theirs";
    const fs::path again = makeStagingFolder(dest);
    EXPECT_THROW(replacePackageFolder(again, dest, "text-gpt"), Error);
    EXPECT_EQ(read(dest / "theirs.txt"), "theirs");
}

TEST(PackageFolder, IdsThatArePathsAreRefused) {
    test::TempDir tmp;
    for (const std::string& id : std::vector<std::string>{"../../x", "a/b", "..", ".", "", "/abs", ".hidden",
                                                          std::string(200, 'a')})
        EXPECT_THROW(freePackageId(tmp.path(), id, true), Error) << id;
    EXPECT_EQ(freePackageId(tmp.path(), "ok-1.0_b", true), "ok-1.0_b");
    EXPECT_TRUE(names(tmp.path()).empty());
}

TEST(PackageFolder, TrainingRunFolderMustBeOurs) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "gpt";
    const fs::path run = trainingRunFolder(out);
    EXPECT_EQ(run, tmp.path() / "gpt.training");
    EXPECT_EQ(trainingRunFolder(out), run) << "a second call accepts its own folder";
    fs::create_directories(tmp.path() / "other.training");
    std::ofstream(tmp.path() / "other.training" / "thesis.tex") << "mine";
    EXPECT_THROW(trainingRunFolder(tmp.path() / "other"), Error);
}

TEST(CheckpointFolder, SavesWholeSetsAndSurvivesAnInterruptedSave) {
    test::TempDir tmp;
    CheckpointFolder sets(tmp.path());
    EXPECT_FALSE(sets.latest());
    sets.save([](const fs::path& dir) {
        std::ofstream(dir / "weights") << "w1";
        std::ofstream(dir / "state.json") << "{\"step\": 1}";
    });
    ASSERT_TRUE(sets.latest());
    EXPECT_EQ(read(*sets.latest() / "weights"), "w1");

    // A save that fails half-way (a full disk) leaves the last set whole.
    EXPECT_THROW(sets.save([](const fs::path& dir) {
        std::ofstream(dir / "weights") << "w2-partial";
        throw Error(ErrorKind::Io, "no space left on device");
    }),
                 Error);
    EXPECT_EQ(read(*sets.latest() / "weights"), "w1");
    EXPECT_EQ(names(tmp.path()), std::set<std::string>{"checkpoint"});

    sets.save([](const fs::path& dir) { std::ofstream(dir / "weights") << "w3"; });
    EXPECT_EQ(read(*sets.latest() / "weights"), "w3");
    EXPECT_EQ(names(tmp.path()), std::set<std::string>{"checkpoint"});

    // A crash between the two renames of a save: only the set moved aside is
    // complete, and it is the one resumed.
    fs::rename(tmp.path() / "checkpoint", tmp.path() / ".previous-123");
    fs::create_directories(tmp.path() / ".saving-456");
    std::ofstream(tmp.path() / ".saving-456" / "weights") << "half";
    EXPECT_EQ(read(*sets.latest() / "weights"), "w3");
    sets.save([](const fs::path& dir) { std::ofstream(dir / "weights") << "w4"; });
    EXPECT_EQ(read(*sets.latest() / "weights"), "w4");
    EXPECT_EQ(names(tmp.path()), std::set<std::string>{"checkpoint"});
}
