#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"

namespace fs = std::filesystem;
using latent::Error;
using latent::ErrorKind;
using latent::writeFileAtomic;

namespace {

class AtomicFile : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir =
            fs::temp_directory_path() / ("latent-atomic-" + std::to_string(::getpid()) + "-" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static std::set<std::string> entries(const fs::path& dir) {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
        return names;
    }

    fs::path m_dir;
};

}  // namespace

TEST_F(AtomicFile, CreatesNewFileWithContent) {
    const fs::path path = m_dir / "new.txt";
    writeFileAtomic(path, "hello");
    EXPECT_EQ(read(path), "hello");
    EXPECT_EQ(entries(m_dir), std::set<std::string>{"new.txt"});
}

TEST_F(AtomicFile, ReplacesContentAndLeavesNoTemporaryFiles) {
    const fs::path path = m_dir / "data.bin";
    writeFileAtomic(path, std::string(1000, 'x'));
    writeFileAtomic(path, "short");
    EXPECT_EQ(read(path), "short");
    writeFileAtomic(path, "");
    EXPECT_EQ(read(path), "");
    EXPECT_EQ(fs::file_size(path), 0u);
    EXPECT_EQ(entries(m_dir), std::set<std::string>{"data.bin"});
}

TEST_F(AtomicFile, WritesBinaryBytesExactly) {
    std::string bytes;
    for (int i = 0; i < (3 << 20); ++i) bytes.push_back(static_cast<char>((i * 7919) & 0xff));
    bytes[10] = '\0';
    const fs::path path = m_dir / "blob.bin";
    writeFileAtomic(path, bytes);
    EXPECT_EQ(read(path), bytes);
}

TEST_F(AtomicFile, CreatesMissingParentDirectoriesOnlyWhenAsked) {
    const fs::path path = m_dir / "a" / "b" / "c.json";
    try {
        writeFileAtomic(path, "{}");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(m_dir / "a"));
    writeFileAtomic(path, "{}", {.createParents = true});
    EXPECT_EQ(read(path), "{}");
    EXPECT_EQ(entries(m_dir / "a" / "b"), std::set<std::string>{"c.json"});
}

TEST_F(AtomicFile, RefusesToReplaceAReadOnlyFileUnlessAsked) {
    const fs::path path = m_dir / "keep.txt";
    writeFileAtomic(path, "precious");
    ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
    try {
        writeFileAtomic(path, "overwritten");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read(path), "precious");
    EXPECT_EQ(entries(m_dir), std::set<std::string>{"keep.txt"});
    writeFileAtomic(path, "replaced", {.replaceReadOnly = true});
    EXPECT_EQ(read(path), "replaced");
}

TEST_F(AtomicFile, RefusesASymlinkUnlessAskedToFollowIt) {
    const fs::path target = m_dir / "real.txt";
    const fs::path link = m_dir / "link.txt";
    writeFileAtomic(target, "target");
    fs::create_symlink(target, link);
    try {
        writeFileAtomic(link, "through the link");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(read(target), "target");
    writeFileAtomic(link, "followed", {.followSymlink = true});
    EXPECT_TRUE(fs::is_symlink(link));  // the link stays a link
    EXPECT_EQ(read(target), "followed");
    EXPECT_EQ(entries(m_dir), (std::set<std::string>{"link.txt", "real.txt"}));
}

TEST_F(AtomicFile, CheckWritableTargetRefusesBeforeAnyWrite) {
    fs::create_directories(m_dir / "folder");
    EXPECT_THROW(latent::checkWritableTarget(m_dir / "folder"), Error);
    EXPECT_THROW(latent::checkWritableTarget(m_dir / "missing" / "x.png"), Error);
    EXPECT_EQ(latent::checkWritableTarget(m_dir / "new.png"), m_dir / "new.png");
    EXPECT_EQ(entries(m_dir), std::set<std::string>{"folder"});
}

TEST_F(AtomicFile, KeepsPermissionsOfReplacedFile) {
    const fs::path path = m_dir / "secret.txt";
    writeFileAtomic(path, "one");
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    writeFileAtomic(path, "two");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(read(path), "two");
}

TEST_F(AtomicFile, ParentIsAFileIsRefusedAndLeftAlone) {
    const fs::path blocker = m_dir / "blocker";
    writeFileAtomic(blocker, "old content");
    const fs::path path = blocker / "child.txt";
    try {
        writeFileAtomic(path, "new content");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
    EXPECT_EQ(read(blocker), "old content");
    EXPECT_EQ(entries(m_dir), std::set<std::string>{"blocker"});
}

TEST_F(AtomicFile, AFolderIsNeverReplaced) {
    const fs::path path = m_dir / "target";
    fs::create_directories(path);
    writeFileAtomic(path / "inside.txt", "old file");
    try {
        writeFileAtomic(path, "new content", {.replaceReadOnly = true, .followSymlink = true});
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("will not write " + path.string() + ": it is a folder"),
                  std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_directory(path));
    EXPECT_EQ(read(path / "inside.txt"), "old file");
    EXPECT_EQ(entries(m_dir), std::set<std::string>{"target"});
}

TEST_F(AtomicFile, EmptyPathIsRefused) {
    try {
        writeFileAtomic(fs::path(), "x");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
    }
}
