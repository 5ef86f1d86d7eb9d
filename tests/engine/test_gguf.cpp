// The GGUF reader: metadata of every type, tensor views, and each way a file
// can be broken (truncated anywhere, absurd counts and lengths, unknown
// types, misaligned or overlapping tensors) is a message, never a crash or
// an allocation the file does not justify.
#include <gtest/gtest.h>

#include <cmath>

#include "GgufBuilder.h"
#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/formats/Gguf.h"

using namespace latent;
using test::GgufBuilder;
namespace fs = std::filesystem;

namespace {

GgufBuilder smallModel() {
    GgufBuilder b;
    b.str("general.architecture", "llama");
    b.str("general.name", "tiny");
    b.u32("llama.context_length", 128);
    b.f32("llama.rope.freq_base", 10000.0f);
    b.boolean("tokenizer.ggml.add_bos_token", true);
    b.i32("llama.attention.layer_norm_rms_epsilon_x", -7);
    b.u64("general.file_type", 7);
    b.strings("tokenizer.ggml.tokens", {"<s>", "</s>", "▁hi", "é"});
    b.floats("tokenizer.ggml.scores", {0.0f, -1.5f, -2.25f, 3.0f});
    std::string f32(4 * 8, '\0');
    for (int i = 0; i < 8; ++i) {
        const float v = float(i) * 0.5f;
        std::memcpy(f32.data() + 4 * i, &v, 4);
    }
    b.tensor("token_embd.weight", {4, 2}, 0, f32);
    b.tensor("blk.0.attn_q.weight", {32, 2}, 8, std::string(2 * 34, '\x11'));  // Q8_0: 34 bytes per 32
    return b;
}

fs::path writeBytes(const test::TempDir& dir, const std::string& bytes, const std::string& name = "m.gguf") {
    const auto p = dir.path() / name;
    std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return p;
}

std::string refusal(const fs::path& p) {
    try {
        GgufFile f(p);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return {};
}

}  // namespace

TEST(Gguf, ReadsMetadataOfEveryTypeAndViewsTensorsInTheMapping) {
    test::TempDir dir;
    const auto path = writeBytes(dir, smallModel().bytes());
    GgufFile f(path);
    EXPECT_EQ(f.version(), 3u);
    EXPECT_EQ(f.architecture(), "llama");
    EXPECT_EQ(f.string("general.name"), "tiny");
    EXPECT_EQ(f.unsignedInteger("llama.context_length"), 128u);
    EXPECT_EQ(f.number("llama.rope.freq_base"), 10000.0);
    EXPECT_EQ(std::get<bool>(f.find("tokenizer.ggml.add_bos_token")->value), true);
    EXPECT_EQ(f.find("llama.attention.layer_norm_rms_epsilon_x")->asSigned(), -7);
    EXPECT_FALSE(f.find("llama.attention.layer_norm_rms_epsilon_x")->asUnsigned());
    EXPECT_EQ(f.unsignedInteger("general.file_type"), 7u);
    EXPECT_FALSE(f.string("absent"));
    EXPECT_THROW(f.string("llama.context_length"), Error) << "a number is not a string";

    const GgufArray* tokens = f.find("tokenizer.ggml.tokens")->asArray();
    ASSERT_TRUE(tokens);
    EXPECT_EQ(tokens->elementType, GgufType::String);
    ASSERT_EQ(tokens->size, 4u);
    EXPECT_EQ(*tokens->at(2).asString(), "▁hi");
    EXPECT_EQ(*tokens->at(3).asString(), "é");
    const GgufArray* scores = f.find("tokenizer.ggml.scores")->asArray();
    ASSERT_TRUE(scores && scores->raw) << "numbers stay in the mapping";
    EXPECT_EQ(scores->at(2).asNumber(), -2.25);
    EXPECT_THROW(scores->at(4), Error);
    EXPECT_EQ(f.metadata().front().first, "general.architecture") << "file order";

    ASSERT_EQ(f.tensors().size(), 2u);
    const GgufTensor* e = f.tensor("token_embd.weight");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->shape, (std::vector<std::uint64_t>{4, 2}));
    EXPECT_EQ(e->bytes, 32u);
    EXPECT_EQ(e->elements(), 8u);
    float third;
    std::memcpy(&third, e->data + 8, 4);
    EXPECT_EQ(third, 1.0f);
    EXPECT_EQ(f.dataOffset() % 32, 0u);
    const GgufTensor* q = f.tensor("blk.0.attn_q.weight");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->type, 8u);
    EXPECT_EQ(q->bytes, 68u);
    EXPECT_EQ(ggmlTypeInfo(q->type)->name, std::string("Q8_0"));
    EXPECT_EQ(q->data[67], 0x11);
    EXPECT_FALSE(f.tensor("absent"));
}

TEST(Gguf, EveryTruncationIsAMessage) {
    test::TempDir dir;
    const std::string whole = smallModel().bytes();
    // Every prefix shorter than the last tensor's end is refused (the final
    // padding after the last tensor is not needed).
    for (std::size_t n = 0; n + 32 < whole.size(); n += (n < 400 ? 1 : 7)) {
        const auto p = writeBytes(dir, whole.substr(0, n));
        const std::string why = refusal(p);
        EXPECT_NE(why.find(p.string()), std::string::npos) << n << ": " << why;
    }
}

TEST(Gguf, AbsurdCountsAndLengthsAreRefusedBeforeAllocating) {
    test::TempDir dir;
    auto header = [](std::uint64_t tensors, std::uint64_t kvs) {
        std::string b = "GGUF";
        GgufBuilder::put<std::uint32_t>(b, 3);
        GgufBuilder::put<std::uint64_t>(b, tensors);
        GgufBuilder::put<std::uint64_t>(b, kvs);
        return b;
    };
    EXPECT_NE(refusal(writeBytes(dir, header(1ull << 40, 0))).find("tensor count"), std::string::npos);
    EXPECT_NE(refusal(writeBytes(dir, header(0, 1ull << 40))).find("metadata count"), std::string::npos);
    // A key of 2^60 bytes, a string value of 2^60 bytes, an array of 2^60 strings.
    std::string b = header(0, 1);
    GgufBuilder::put<std::uint64_t>(b, 1ull << 60);
    b += std::string(64, 'k');
    EXPECT_NE(refusal(writeBytes(dir, b)).find("a metadata key is 1152921504606846976 bytes"), std::string::npos);
    GgufBuilder g;
    GgufBuilder::put<std::uint64_t>(b = std::string(), 1ull << 60);
    g.raw("k", 8, b);
    EXPECT_NE(refusal(writeBytes(dir, g.bytes())).find("a string is 1152921504606846976 bytes"), std::string::npos);
    GgufBuilder h;
    b.clear();
    GgufBuilder::put<std::uint32_t>(b, 8);
    GgufBuilder::put<std::uint64_t>(b, 1ull << 60);
    h.raw("k", 9, b);
    EXPECT_NE(refusal(writeBytes(dir, h.bytes())).find("array's length"), std::string::npos);
}

TEST(Gguf, UnknownTypesAndBadStructureAreNamed) {
    test::TempDir dir;
    GgufBuilder unknownMeta;
    unknownMeta.raw("weird", 13, "x");
    EXPECT_NE(refusal(writeBytes(dir, unknownMeta.bytes())).find("'weird' has unknown type 13"), std::string::npos);

    GgufBuilder unknownTensor;
    unknownTensor.tensor("t", {32}, 99, std::string(64, '\0'));
    EXPECT_NE(refusal(writeBytes(dir, unknownTensor.bytes())).find("ggml type 99"), std::string::npos);

    GgufBuilder partialBlock;  // Q4_0 rows must be whole blocks of 32
    partialBlock.tensor("t", {33}, 2, std::string(64, '\0'));
    EXPECT_NE(refusal(writeBytes(dir, partialBlock.bytes())).find("not whole Q4_0 blocks"), std::string::npos);

    GgufBuilder fiveDims;
    fiveDims.tensor("t", {1, 1, 1, 1, 1}, 0, std::string(4, '\0'));
    EXPECT_NE(refusal(writeBytes(dir, fiveDims.bytes())).find("5 dimensions"), std::string::npos);

    GgufBuilder twice;
    twice.tensor("t", {1}, 0, std::string(4, '\0'));
    twice.tensor("t", {1}, 0, std::string(4, '\0'));
    EXPECT_NE(refusal(writeBytes(dir, twice.bytes())).find("appears twice"), std::string::npos);

    GgufBuilder duplicateKey;
    duplicateKey.u32("a", 1);
    duplicateKey.u32("a", 2);
    EXPECT_NE(refusal(writeBytes(dir, duplicateKey.bytes())).find("'a' appears twice"), std::string::npos);

    GgufBuilder badBool;
    badBool.raw("b", 7, std::string(1, '\x02'));
    EXPECT_NE(refusal(writeBytes(dir, badBool.bytes())).find("bool"), std::string::npos);

    GgufBuilder badAlignment;
    badAlignment.u32("general.alignment", 24);
    EXPECT_NE(refusal(writeBytes(dir, badAlignment.bytes())).find("power of two"), std::string::npos);

    // A tensor past the end: its data cut off.
    std::string cut = smallModel().bytes();
    cut.resize(cut.size() - 40);
    EXPECT_NE(refusal(writeBytes(dir, cut)).find("past the end"), std::string::npos);

    EXPECT_NE(refusal(writeBytes(dir, "PK\x03\x04 not a gguf")).find("not a GGUF file"), std::string::npos);
    GgufBuilder v1;
    v1.version = 1;
    EXPECT_NE(refusal(writeBytes(dir, v1.bytes())).find("version 1"), std::string::npos);
    GgufBuilder bigEndian;
    bigEndian.version = 0x03000000;
    EXPECT_NE(refusal(writeBytes(dir, bigEndian.bytes())).find("big-endian"), std::string::npos);
}

TEST(Gguf, MisalignedAndOverlappingTensorsAreRefused) {
    test::TempDir dir;
    // Hand-written descriptions: offsets the builder would never choose.
    auto file = [](std::uint64_t offsetA, std::uint64_t offsetB) {
        std::string b = "GGUF";
        GgufBuilder::put<std::uint32_t>(b, 3);
        GgufBuilder::put<std::uint64_t>(b, 2);
        GgufBuilder::put<std::uint64_t>(b, 0);
        for (auto [name, offset] : {std::pair{"a", offsetA}, std::pair{"b", offsetB}}) {
            GgufBuilder::putString(b, name);
            GgufBuilder::put<std::uint32_t>(b, 1);
            GgufBuilder::put<std::uint64_t>(b, 16);  // 16 F32: 64 bytes
            GgufBuilder::put<std::uint32_t>(b, 0);
            GgufBuilder::put<std::uint64_t>(b, offset);
        }
        b.resize((b.size() + 31) / 32 * 32, '\0');
        b += std::string(256, '\0');
        return b;
    };
    EXPECT_NO_THROW(GgufFile(writeBytes(dir, file(0, 64))));
    EXPECT_NE(refusal(writeBytes(dir, file(0, 48))).find("alignment"), std::string::npos);
    EXPECT_NE(refusal(writeBytes(dir, file(0, 32))).find("overlap"), std::string::npos);
}

TEST(Gguf, AFolderOrMissingFileIsAnIoError) {
    test::TempDir dir;
    try {
        GgufFile f(dir.path());
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
    }
    EXPECT_THROW(GgufFile(dir.path() / "missing.gguf"), Error);
}

// The fuzz corpus starts from files the reader accepts (tests/fuzz/corpus/gguf,
// written by a few lines of Python's struct), so mutations explore past the header.
TEST(Gguf, TheFuzzSeedsAreValidFiles) {
    const fs::path seeds = fs::path(LATENT_SOURCE_DIR) / "tests/fuzz/corpus/gguf";
    for (const char* name : {"small-llama-v3.gguf", "metadata-only-v2.gguf", "aligned-64.gguf", "empty-v3.gguf"}) {
        GgufFile f(seeds / name);
        EXPECT_TRUE(f.version() == 2 || f.version() == 3) << name;
    }
    GgufFile f(seeds / "small-llama-v3.gguf");
    EXPECT_EQ(f.tensors().size(), 4u);
    EXPECT_EQ(f.tensor("blk.0.ffn.weight")->bytes, 144u) << "one Q4_K block";
    EXPECT_EQ(f.find("nested")->asArray()->at(0).asArray()->at(1).asUnsigned(), 2u);
    EXPECT_EQ(GgufFile(seeds / "aligned-64.gguf").alignment(), 64u);
}
