#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/Safetensors.h"

namespace fs = std::filesystem;
using latent::Error;
using latent::ErrorKind;
using latent::SafetensorsFile;
using latent::TensorDType;
using latent::TensorToWrite;
using latent::TensorView;
using latent::writeSafetensors;

namespace {

const std::vector<TensorDType> kAllDTypes = {TensorDType::F32, TensorDType::F16, TensorDType::BF16,
                                             TensorDType::I32, TensorDType::I64, TensorDType::U8};

std::string le64(std::uint64_t v) {
    std::string out;
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return out;
}

// The file layout of the spec: u64 LE header length, header, data buffer.
std::string rawFile(const std::string& header, const std::string& data = {}) {
    return le64(header.size()) + header + data;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Safetensors : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() /
                ("latent-safetensors-" + std::to_string(::getpid()) + "-" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path writeRaw(const std::string& bytes, const std::string& name = "t.safetensors") {
        const fs::path path = m_dir / name;
        std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }

    // Opening `bytes` must fail with Error(Format) whose message names the
    // file and contains `needle`.
    ::testing::AssertionResult rejects(const std::string& bytes, const std::string& needle) {
        const fs::path path = writeRaw(bytes, "bad.safetensors");
        try {
            SafetensorsFile file(path);
            return ::testing::AssertionFailure() << "no error; expected one mentioning '" << needle << "'";
        } catch (const Error& e) {
            const std::string message = e.what();
            if (e.kind() != ErrorKind::Format)
                return ::testing::AssertionFailure()
                       << "kind " << static_cast<int>(e.kind()) << ": " << message;
            if (message.rfind(path.string() + ": ", 0) != 0)
                return ::testing::AssertionFailure() << "message does not start with the file: " << message;
            if (message.find(needle) == std::string::npos)
                return ::testing::AssertionFailure() << "message lacks '" << needle << "': " << message;
            return ::testing::AssertionSuccess() << message;
        }
    }

    ::testing::AssertionResult writeRejects(const std::vector<TensorToWrite>& tensors,
                                            const std::string& needle) {
        const fs::path path = m_dir / "rejected.safetensors";
        try {
            writeSafetensors(path, tensors);
            return ::testing::AssertionFailure() << "no error; expected one mentioning '" << needle << "'";
        } catch (const Error& e) {
            const std::string message = e.what();
            if (e.kind() != ErrorKind::BadArgument)
                return ::testing::AssertionFailure()
                       << "kind " << static_cast<int>(e.kind()) << ": " << message;
            if (message.find(needle) == std::string::npos)
                return ::testing::AssertionFailure() << "message lacks '" << needle << "': " << message;
            if (fs::exists(path)) return ::testing::AssertionFailure() << "a file was written anyway";
            return ::testing::AssertionSuccess();
        }
    }

    fs::path m_dir;
};

std::vector<std::uint8_t> pattern(std::size_t size, unsigned seed) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 31 + seed * 17 + 1);
    return bytes;
}

std::string oneTensorHeader(const std::string& entry) { return "{\"t\":" + entry + "}"; }

}  // namespace

TEST(SafetensorsDType, NamesSizesAndLookup) {
    const std::vector<std::pair<const char*, std::size_t>> expected = {{"F32", 4}, {"F16", 2}, {"BF16", 2},
                                                                       {"I32", 4}, {"I64", 8}, {"U8", 1}};
    for (std::size_t i = 0; i < kAllDTypes.size(); ++i) {
        EXPECT_STREQ(latent::dtypeName(kAllDTypes[i]), expected[i].first);
        EXPECT_EQ(latent::dtypeSize(kAllDTypes[i]), expected[i].second);
        EXPECT_EQ(latent::dtypeFromName(expected[i].first), kAllDTypes[i]);
    }
    EXPECT_EQ(latent::dtypeFromName("F64"), TensorDType::Invalid);
    EXPECT_EQ(latent::dtypeFromName("f32"), TensorDType::Invalid);
    EXPECT_EQ(latent::dtypeFromName(""), TensorDType::Invalid);
    EXPECT_EQ(latent::dtypeSize(TensorDType::Invalid), 0u);
}

TEST(SafetensorsDType, PersistedValuesNeverChange) {
    EXPECT_EQ(static_cast<int>(TensorDType::F32), 1);
    EXPECT_EQ(static_cast<int>(TensorDType::F16), 2);
    EXPECT_EQ(static_cast<int>(TensorDType::BF16), 3);
    EXPECT_EQ(static_cast<int>(TensorDType::I32), 4);
    EXPECT_EQ(static_cast<int>(TensorDType::I64), 5);
    EXPECT_EQ(static_cast<int>(TensorDType::U8), 6);
}

TEST(SafetensorsTensorView, NumelOfScalarEmptyAndMatrix) {
    TensorView view;
    EXPECT_EQ(view.numel(), 1);  // shape [] is a scalar
    view.shape = {0};
    EXPECT_EQ(view.numel(), 0);
    view.shape = {2, 3, 4};
    EXPECT_EQ(view.numel(), 24);
}

TEST_F(Safetensors, RoundTripEveryDTypeAndShapeKind) {
    const std::vector<std::vector<std::int64_t>> shapes = {{2, 3}, {}, {0}, {3, 0, 2}, {5}, {1, 1, 7}};
    for (const TensorDType dtype : kAllDTypes) {
        SCOPED_TRACE(latent::dtypeName(dtype));
        std::vector<std::vector<std::uint8_t>> data;
        std::vector<TensorToWrite> tensors;
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            std::int64_t numel = 1;
            for (const auto d : shapes[i]) numel *= d;
            data.push_back(pattern(static_cast<std::size_t>(numel) * latent::dtypeSize(dtype), unsigned(i)));
            TensorToWrite t;
            t.name = "tensor." + std::to_string(i);
            t.dtype = dtype;
            t.shape = shapes[i];
            t.data = data.back().empty() ? nullptr : data.back().data();  // empty may be null
            tensors.push_back(t);
        }
        const fs::path path = m_dir / (std::string(latent::dtypeName(dtype)) + ".safetensors");
        writeSafetensors(path, tensors);

        SafetensorsFile file(path);
        EXPECT_EQ(file.path(), path);
        ASSERT_EQ(file.tensors().size(), shapes.size());
        EXPECT_TRUE(file.metadata().empty());
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const TensorView& view = file.tensors()[i];
            EXPECT_EQ(view.name, tensors[i].name);
            EXPECT_EQ(view.dtype, dtype);
            EXPECT_EQ(view.shape, shapes[i]);
            EXPECT_EQ(view.bytes, data[i].size());
            EXPECT_EQ(static_cast<std::size_t>(view.numel()) * latent::dtypeSize(dtype), data[i].size());
            if (!data[i].empty()) {
                EXPECT_EQ(std::memcmp(view.data, data[i].data(), data[i].size()), 0);
            }
            EXPECT_TRUE(file.contains(view.name));
            EXPECT_EQ(&file.tensor(view.name), &view);
        }
    }
}

TEST_F(Safetensors, RoundTripMixedDTypesKeepsOrder) {
    const std::vector<float> f32 = {1.5f, -2.0f, 3.25f};
    const std::vector<std::uint8_t> u8 = {1, 2, 3, 4, 5};  // 5 bytes: later tensors start unaligned
    const std::vector<std::int64_t> i64 = {-1, 1LL << 40};
    const std::vector<TensorToWrite> tensors = {{"z.first", TensorDType::F32, {3}, f32.data()},
                                                {"a.second", TensorDType::U8, {5}, u8.data()},
                                                {"m.third", TensorDType::I64, {2, 1}, i64.data()}};
    const fs::path path = m_dir / "mixed.safetensors";
    writeSafetensors(path, tensors);
    SafetensorsFile file(path);
    ASSERT_EQ(file.tensors().size(), 3u);
    EXPECT_EQ(file.tensors()[0].name, "z.first");
    EXPECT_EQ(file.tensors()[1].name, "a.second");
    EXPECT_EQ(file.tensors()[2].name, "m.third");
    std::int64_t back[2];
    std::memcpy(back, file.tensor("m.third").data, sizeof back);
    EXPECT_EQ(back[0], -1);
    EXPECT_EQ(back[1], 1LL << 40);
}

TEST_F(Safetensors, MetadataRoundTrip) {
    const std::map<std::string, std::string> metadata = {
        {"format", "pt"}, {"empty", ""}, {"quote\"and\\slash", "line\nbreak"}, {"unicode", "λ ✓"}};
    const std::uint8_t byte = 9;
    const fs::path path = m_dir / "meta.safetensors";
    writeSafetensors(path, {{"x", TensorDType::U8, {1}, &byte}}, metadata);
    SafetensorsFile file(path);
    EXPECT_EQ(file.metadata(), metadata);
    ASSERT_EQ(file.tensors().size(), 1u);

    // Metadata alone, no tensors, is a valid file too.
    const fs::path onlyMeta = m_dir / "only-meta.safetensors";
    writeSafetensors(onlyMeta, {}, metadata);
    SafetensorsFile metaFile(onlyMeta);
    EXPECT_TRUE(metaFile.tensors().empty());
    EXPECT_EQ(metaFile.metadata(), metadata);
}

TEST_F(Safetensors, WriterLayoutMatchesTheSpecByteForByte) {
    const std::uint8_t bytes[2] = {0xab, 0xcd};
    const fs::path path = m_dir / "exact.safetensors";
    writeSafetensors(path, {{"x", TensorDType::U8, {2}, bytes}});
    std::string header = R"({"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    EXPECT_EQ(readAll(path), rawFile(header, "\xab\xcd"));
}

TEST_F(Safetensors, WriterPadsHeaderSoDataIsEightByteAligned) {
    for (std::size_t nameLength = 1; nameLength <= 9; ++nameLength) {
        const float value = 1.0f;
        const fs::path path = m_dir / "aligned.safetensors";
        writeSafetensors(path, {{std::string(nameLength, 'n'), TensorDType::F32, {}, &value}}, {{"k", "v"}});
        const std::string bytes = readAll(path);
        ASSERT_GE(bytes.size(), 8u);
        std::uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | static_cast<std::uint8_t>(bytes[i]);
        EXPECT_EQ((8 + headerLen) % 8, 0u) << "name length " << nameLength;
        EXPECT_EQ(bytes.size(), 8 + headerLen + 4);
        const auto json = nlohmann::json::parse(bytes.substr(8, headerLen));  // padding is JSON whitespace
        EXPECT_EQ(json["__metadata__"]["k"], "v");
    }
}

TEST_F(Safetensors, ReadsAFileBuiltByHandFromTheSpec) {
    // Header keys deliberately out of data order, with spaces and a metadata
    // entry; the data buffer spelled out byte by byte (little-endian).
    const std::string header = R"({"weight": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]},)"
                               R"( "bias" : {"data_offsets":[0,8],"shape":[1],"dtype":"I64"},)"
                               R"( "__metadata__": {"format": "pt"},)"
                               R"( "half": {"dtype":"F16","shape":[],"data_offsets":[16,18]},)"
                               R"( "brain": {"dtype":"BF16","shape":[1,1],"data_offsets":[18,20]},)"
                               R"( "count": {"dtype":"I32","shape":[1],"data_offsets":[20,24]},)"
                               R"( "bytes": {"dtype":"U8","shape":[3],"data_offsets":[24,27]},)"
                               R"( "none": {"dtype":"F32","shape":[0,4],"data_offsets":[27,27]}})";
    std::string file;
    const std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) file.push_back(static_cast<char>(n >> (8 * i)));
    file += header;
    const unsigned char data[] = {
        0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // bias: I64 -2
        0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0,  // weight: F32 1.0, -2.5
        0x00, 0x3c,                                      // half: F16 1.0
        0x80, 0x3f,                                      // brain: BF16 1.0
        0x39, 0x30, 0x00, 0x00,                          // count: I32 12345
        0x01, 0x02, 0xff,                                // bytes
    };
    file.append(reinterpret_cast<const char*>(data), sizeof data);
    const fs::path path = writeRaw(file, "hand.safetensors");

    SafetensorsFile st(path);
    EXPECT_EQ(st.metadata(), (std::map<std::string, std::string>{{"format", "pt"}}));
    ASSERT_EQ(st.tensors().size(), 7u);
    // File order is data order, not header order.
    const std::vector<std::string> names = {"bias", "weight", "half", "brain", "count", "bytes", "none"};
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(st.tensors()[i].name, names[i]);

    std::int64_t bias = 0;
    std::memcpy(&bias, st.tensor("bias").data, 8);
    EXPECT_EQ(bias, -2);
    float weight[2];
    std::memcpy(weight, st.tensor("weight").data, 8);
    EXPECT_EQ(weight[0], 1.0f);
    EXPECT_EQ(weight[1], -2.5f);
    EXPECT_EQ(st.tensor("weight").shape, (std::vector<std::int64_t>{2}));
    EXPECT_EQ(st.tensor("half").dtype, TensorDType::F16);
    EXPECT_TRUE(st.tensor("half").shape.empty());
    EXPECT_EQ(st.tensor("half").data[1], 0x3c);
    EXPECT_EQ(st.tensor("brain").dtype, TensorDType::BF16);
    EXPECT_EQ(st.tensor("brain").data[0], 0x80);
    std::int32_t count = 0;
    std::memcpy(&count, st.tensor("count").data, 4);
    EXPECT_EQ(count, 12345);
    EXPECT_EQ(st.tensor("bytes").data[2], 0xff);
    EXPECT_EQ(st.tensor("none").bytes, 0u);
    EXPECT_EQ(st.tensor("none").numel(), 0);
}

TEST_F(Safetensors, EmptyHeaderWithoutDataIsValid) {
    SafetensorsFile file(writeRaw(rawFile("{}")));
    EXPECT_TRUE(file.tensors().empty());
    EXPECT_TRUE(file.metadata().empty());

    // The writer produces the same kind of file for no tensors.
    const fs::path path = m_dir / "none.safetensors";
    writeSafetensors(path, {});
    SafetensorsFile written(path);
    EXPECT_TRUE(written.tensors().empty());
    EXPECT_EQ(fs::file_size(path), 16u);  // 8 + "{}" padded to 8
}

TEST_F(Safetensors, NullMetadataIsAbsentMetadata) {
    SafetensorsFile file(writeRaw(rawFile(R"({"__metadata__": null})")));
    EXPECT_TRUE(file.metadata().empty());
}

TEST_F(Safetensors, UnknownTensorNameThrowsFormat) {
    SafetensorsFile file(writeRaw(rawFile("{}")));
    EXPECT_FALSE(file.contains("missing"));
    try {
        file.tensor("missing");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
    }
}

TEST_F(Safetensors, MissingFileThrowsIo) {
    try {
        SafetensorsFile file(m_dir / "nope.safetensors");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
        EXPECT_NE(std::string(e.what()).find("nope.safetensors"), std::string::npos);
    }
}

TEST_F(Safetensors, RejectsTruncatedFiles) {
    EXPECT_TRUE(rejects("", "truncated"));
    EXPECT_TRUE(rejects("\x02\x00\x00\x00\x00", "shorter than the 8-byte header length"));
    // A valid file cut inside the data: the offsets now point past the end.
    const std::string full = rawFile(oneTensorHeader(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})"),
                                     std::string(8, '\x01'));
    EXPECT_TRUE(rejects(full.substr(0, full.size() - 3), "outside the data buffer of 5 bytes"));
    // ...and cut inside the header.
    EXPECT_TRUE(rejects(full.substr(0, 20), "exceeds file size 20"));
}

TEST_F(Safetensors, RejectsOversizedHeaderLength) {
    EXPECT_TRUE(rejects(le64(100'000'001) + "{}", "header length 100000001 exceeds the 100 MB limit"));
    EXPECT_TRUE(rejects(le64(~0ull) + "{}", "exceeds the 100 MB limit"));
    EXPECT_TRUE(rejects(le64(1000) + "{}", "header length 1000 exceeds file size 10"));
}

TEST_F(Safetensors, RejectsBadJson) {
    EXPECT_TRUE(rejects(rawFile("{\"t\": {"), "invalid JSON header"));
    EXPECT_TRUE(rejects(rawFile(""), "invalid JSON header"));
    EXPECT_TRUE(rejects(rawFile("{} trailing"), "invalid JSON header"));
    EXPECT_TRUE(rejects(rawFile("{\"\xff\": 1}"), "invalid JSON header"));  // not UTF-8
    EXPECT_TRUE(rejects(rawFile("[1, 2]"), "header is not a JSON object"));
}

TEST_F(Safetensors, RejectsMalformedEntries) {
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader("[1]")), "tensor \"t\": entry is not an object"));
    EXPECT_TRUE(
        rejects(rawFile(oneTensorHeader(R"({"shape":[],"data_offsets":[0,0]})")), "missing \"dtype\""));
    EXPECT_TRUE(
        rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","data_offsets":[0,0]})")), "missing \"shape\""));
    EXPECT_TRUE(
        rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[0]})")), "missing \"data_offsets\""));
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader(R"({"dtype":7,"shape":[0],"data_offsets":[0,0]})")),
                        "dtype is not a string"));
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","shape":"2","data_offsets":[0,0]})")),
                        "shape is not an array"));
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[1.5],"data_offsets":[0,0]})")),
                        "non-integer"));
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[0],"data_offsets":[0]})")),
                        "data_offsets must be two non-negative integers"));
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[0],"data_offsets":[-1,0]})")),
                        "data_offsets must be two non-negative integers"));
}

TEST_F(Safetensors, RejectsUnknownDTypeNamingItAndTheSupportedOnes) {
    EXPECT_TRUE(rejects(
        rawFile(oneTensorHeader(R"({"dtype":"F64","shape":[1],"data_offsets":[0,8]})"), std::string(8, '\0')),
        "unknown dtype \"F64\" (supported: F32 F16 BF16 I32 I64 U8)"));
}

TEST_F(Safetensors, RejectsNegativeDimensions) {
    EXPECT_TRUE(rejects(rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[2,-2],"data_offsets":[0,0]})")),
                        "negative dimension -2"));
}

TEST_F(Safetensors, RejectsOffsetsOutsideTheBuffer) {
    EXPECT_TRUE(rejects(
        rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[4],"data_offsets":[2,6]})"), std::string(4, 'x')),
        "data_offsets [2, 6] lie outside the data buffer of 4 bytes"));
    EXPECT_TRUE(rejects(
        rawFile(oneTensorHeader(R"({"dtype":"U8","shape":[0],"data_offsets":[3,1]})"), std::string(4, 'x')),
        "end before begin"));
}

TEST_F(Safetensors, RejectsSizeMismatch) {
    EXPECT_TRUE(
        rejects(rawFile(oneTensorHeader(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,20]})"),
                        std::string(20, 'x')),
                "size mismatch: data_offsets [0, 20] span 20 bytes but shape [2, 3] of F32 needs 24 bytes"));
    // A shape whose byte size overflows 64 bits must not wrap around to a match.
    EXPECT_TRUE(rejects(
        rawFile(oneTensorHeader(R"({"dtype":"I64","shape":[4294967296,4294967296],"data_offsets":[0,0]})")),
        "is too large"));
}

TEST_F(Safetensors, RejectsOverlappingTensors) {
    const std::string header = R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                               R"("b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})";
    EXPECT_TRUE(rejects(rawFile(header, std::string(6, 'x')), "overlapping tensors: \"b\""));
    // Two names aliasing the same bytes overlap too.
    const std::string alias = R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                              R"("b":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})";
    EXPECT_TRUE(rejects(rawFile(alias, std::string(4, 'x')), "overlapping tensors"));
}

TEST_F(Safetensors, RejectsGapsAndTrailingData) {
    const std::string gap = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                            R"("b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}})";
    EXPECT_TRUE(rejects(rawFile(gap, std::string(6, 'x')), "gap in the data buffer: bytes 2..4"));
    const std::string leading = oneTensorHeader(R"({"dtype":"U8","shape":[2],"data_offsets":[2,4]})");
    EXPECT_TRUE(rejects(rawFile(leading, std::string(4, 'x')), "gap in the data buffer: bytes 0..2"));
    const std::string trailing = oneTensorHeader(R"({"dtype":"U8","shape":[2],"data_offsets":[0,2]})");
    EXPECT_TRUE(rejects(rawFile(trailing, std::string(5, 'x')), "trailing data: bytes 2..5"));
    EXPECT_TRUE(rejects(rawFile("{}", "x"), "trailing data"));
}

TEST_F(Safetensors, RejectsBadMetadataAndDuplicateNames) {
    EXPECT_TRUE(rejects(rawFile(R"({"__metadata__": {"epoch": 3}})"), "__metadata__ value for \"epoch\""));
    EXPECT_TRUE(rejects(rawFile(R"({"__metadata__": ["a"]})"), "__metadata__ is not an object"));
    const std::string dup = R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},)"
                            R"("a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}})";
    EXPECT_TRUE(rejects(rawFile(dup), "duplicate key \"a\""));
}

TEST_F(Safetensors, WriterRejectsInvalidInput) {
    const float values[2] = {1.0f, 2.0f};
    EXPECT_TRUE(writeRejects({{"x", TensorDType::Invalid, {2}, values}}, "unknown dtype"));
    EXPECT_TRUE(writeRejects({{"x", static_cast<TensorDType>(42), {2}, values}}, "unknown dtype"));
    EXPECT_TRUE(writeRejects({{"x", TensorDType::F32, {2}, nullptr}}, "data is null"));
    EXPECT_TRUE(writeRejects({{"x", TensorDType::F32, {2}, values}, {"x", TensorDType::F32, {2}, values}},
                             "duplicate tensor name \"x\""));
    EXPECT_TRUE(writeRejects({{"x", TensorDType::F32, {-2}, values}}, "negative dimension"));
    EXPECT_TRUE(writeRejects({{"", TensorDType::F32, {2}, values}}, "empty name"));
    EXPECT_TRUE(writeRejects({{"__metadata__", TensorDType::F32, {2}, values}}, "reserved"));
    EXPECT_TRUE(writeRejects({{"x", TensorDType::F32, {1LL << 62, 1LL << 62}, values}}, "too large"));
    EXPECT_TRUE(writeRejects({{"bad\xff", TensorDType::F32, {2}, values}}, "not valid UTF-8"));
}

TEST_F(Safetensors, WriterReplacesExistingFileAtomically) {
    const fs::path path = m_dir / "replace.safetensors";
    const std::uint8_t a[3] = {1, 2, 3};
    writeSafetensors(path, {{"a", TensorDType::U8, {3}, a}});
    const std::int32_t b = 7;
    writeSafetensors(path, {{"b", TensorDType::I32, {}, &b}});
    SafetensorsFile file(path);
    ASSERT_EQ(file.tensors().size(), 1u);
    EXPECT_EQ(file.tensors()[0].name, "b");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(m_dir)) ++entries;
    EXPECT_EQ(entries, 1u);  // no temporary files left
}
