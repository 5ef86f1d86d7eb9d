#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/formats/Sha256.h"

namespace fs = std::filesystem;
using latent::Error;
using latent::ErrorKind;
using latent::Sha256;

namespace {

std::string hexOf(const std::string& s) { return Sha256::hex(s.data(), s.size()); }

// A fresh directory per test, removed afterwards.
class Sha256File : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir =
            fs::temp_directory_path() / ("latent-sha256-" + std::to_string(::getpid()) + "-" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path write(const std::string& name, const std::string& bytes) {
        const fs::path path = m_dir / name;
        std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }

    fs::path m_dir;
};

// The hash coreutils computes for the same file: an independent implementation.
std::string sha256sum(const fs::path& path) {
    const std::string command = "sha256sum '" + path.string() + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return "popen failed";
    char line[256] = {};
    const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
    ::pclose(pipe);
    if (!got) return "sha256sum printed nothing";
    return std::string(line).substr(0, 64);
}

std::string randomBytes(std::size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    return bytes;
}

}  // namespace

// FIPS 180-4 / NIST CAVS example vectors.
TEST(Sha256, EmptyString) {
    EXPECT_EQ(hexOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
    EXPECT_EQ(hexOf("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockVector448Bits) {
    EXPECT_EQ(hexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Vector896Bits) {
    EXPECT_EQ(
        hexOf(
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
            "mnopqrstnopqrstu"),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, OneMillionA) {
    const std::string million(1'000'000, 'a');
    EXPECT_EQ(hexOf(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, StreamingInOddChunksMatchesOneShot) {
    // Chunk sizes around the 64-byte block size exercise every buffering path.
    Sha256 sha;
    const std::vector<std::size_t> chunks = {1, 63, 64, 65, 127, 128, 129, 0, 1000, 4096, 7};
    std::size_t fed = 0;
    std::size_t i = 0;
    while (fed < 1'000'000) {
        const std::size_t n = std::min(chunks[i++ % chunks.size()], 1'000'000 - fed);
        const std::string part(n, 'a');
        sha.update(part.data(), part.size());
        fed += n;
    }
    EXPECT_EQ(sha.finishHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, EverySplitPointOfShortMessagesMatchesOneShot) {
    const std::string message = randomBytes(150, 7);
    for (std::size_t length = 0; length <= message.size(); length += 1) {
        const std::string whole = Sha256::hex(message.data(), length);
        for (std::size_t split = 0; split <= length; split += 13) {
            Sha256 sha;
            sha.update(message.data(), split);
            sha.update(message.data() + split, length - split);
            ASSERT_EQ(sha.finishHex(), whole) << "length " << length << " split " << split;
        }
    }
}

TEST(Sha256, FinishReturnsTheDigestBytes) {
    Sha256 sha;
    sha.update("abc", 3);
    const auto digest = sha.finish();
    EXPECT_EQ(digest[0], 0xba);
    EXPECT_EQ(digest[1], 0x78);
    EXPECT_EQ(digest[30], 0x15);
    EXPECT_EQ(digest[31], 0xad);
}

TEST_F(Sha256File, MatchesSha256sumAtPaddingBoundaries) {
    // 55/56 and 63/64/65 bytes decide whether the length fits in the last block.
    for (const std::size_t size : {0u, 1u, 55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u}) {
        const fs::path path = write("boundary-" + std::to_string(size), randomBytes(size, unsigned(size)));
        EXPECT_EQ(Sha256::fileHex(path), sha256sum(path)) << size << " bytes";
    }
}

TEST_F(Sha256File, MatchesSha256sumForAFileLargerThanOneReadBlock) {
    // 3.5 MiB: several 1 MiB reads plus a partial one.
    const fs::path path = write("large.bin", randomBytes((7u << 20) / 2 + 17, 42));
    const std::string expected = sha256sum(path);
    ASSERT_EQ(expected.size(), 64u) << expected;
    EXPECT_EQ(Sha256::fileHex(path), expected);
}

TEST_F(Sha256File, MissingFileThrowsIoNamingThePath) {
    const fs::path path = m_dir / "does-not-exist.bin";
    try {
        Sha256::fileHex(path);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
        EXPECT_NE(std::string(e.what()).find("cannot read " + path.string() + ": "), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
    }
}

TEST_F(Sha256File, DirectoryThrowsIo) {
    try {
        Sha256::fileHex(m_dir);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
        EXPECT_NE(std::string(e.what()).find(m_dir.string()), std::string::npos) << e.what();
    }
}
