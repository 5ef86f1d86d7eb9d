// The JSON policy (docs/decisions.md): bounded parsing, one type-checking
// reader whose messages name the file and the field, writing that survives
// invalid UTF-8.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"

using namespace latent;
namespace fs = std::filesystem;

namespace {

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(JsonPolicy, DeepNestingIsRefusedBeforeParsingWithoutRecursion) {
    // A million levels: parsing would succeed, but printing or copying the
    // value would recurse once per level and overflow the stack.
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    const std::string message = errorOf([&] { parseJson(deep, "deep.json"); });
    EXPECT_TRUE(contains(message, "deep.json: JSON nested more than 64 levels deep")) << message;
    // Brackets inside strings do not count.
    EXPECT_NO_THROW(parseJson("{\"a\": \"" + std::string(500, '[') + "\"}", "strings.json"));
    EXPECT_NO_THROW(parseJson(std::string(64, '[') + std::string(64, ']'), "ok.json"));
    EXPECT_THROW(parseJson(std::string(65, '[') + std::string(65, ']'), "deep.json"), Error);
    EXPECT_THROW(parseJson("[1]", "small.json", ErrorKind::Format, {2, 64}), Error);
}

TEST(JsonPolicy, ErrorsAreTypedAndNameTheSource) {
    try {
        parseJson("{\"a\": ", "broken.json", ErrorKind::ModelPackage);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
        EXPECT_TRUE(contains(e.what(), "broken.json: not valid JSON")) << e.what();
    }
}

TEST(JsonPolicy, FilesThatAreNotRegularAreRefusedWithoutReading) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "folder.json");
    EXPECT_TRUE(contains(errorOf([&] { readJsonFile(dir.path() / "folder.json"); }), "is a folder"));
    const fs::path fifo = dir.path() / "fifo.json";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // Would block forever if it were opened for reading the usual way.
    EXPECT_TRUE(contains(errorOf([&] { readJsonFile(fifo); }), "not a regular file"));
    std::ofstream(dir.path() / "big.json") << "[" << std::string(3000, ' ') << "]";
    const std::string big = errorOf([&] { readJsonFile(dir.path() / "big.json", ErrorKind::Format, {1024, 8}); });
    EXPECT_TRUE(contains(big, "is 2.9 KiB, more than the 1.0 KiB allowed here")) << big;
    EXPECT_FALSE(readJsonFileIfPresent(dir.path() / "missing.json"));
}

TEST(JsonPolicy, ReaderNamesTheFieldAndBothTypes) {
    const auto doc = parseJson(R"({"model_type": 5, "layers": 2000, "eps": "small", "rope": {"factor": []},
                                   "files": [{"path": 3}], "flag": null})",
                               "config.json");
    const JsonReader r(doc, "config.json", ErrorKind::ModelPackage);
    EXPECT_EQ(errorOf([&] { r.string("model_type"); }),
              "config.json: field 'model_type' must be a string (it is a whole number)");
    EXPECT_EQ(errorOf([&] { r.integer("layers", 1, 1024); }),
              "config.json: field 'layers' is 2000; it must be between 1 and 1024");
    EXPECT_EQ(errorOf([&] { r.number("eps", 0, 1); }), "config.json: field 'eps' must be a number (it is a string)");
    EXPECT_EQ(errorOf([&] { r.object("rope").number("factor", 1.0, 0, 10); }),
              "config.json: field 'rope.factor' must be a number (it is a list)");
    EXPECT_EQ(errorOf([&] { r.array("files").at(0).string("path"); }),
              "config.json: field 'files[0].path' must be a string (it is a whole number)");
    EXPECT_EQ(errorOf([&] { r.string("name"); }), "config.json: field 'name' is missing (expected a string)");
    // Optional fields: missing and null take the fallback; a wrong type still fails.
    EXPECT_TRUE(r.boolean("flag", true));
    EXPECT_EQ(r.integer("absent", 7, 0, 10), 7);
    EXPECT_THROW(r.string("model_type", "gpt2"), Error);
    // A document that is not an object says so instead of throwing type_error.
    const auto list = parseJson("[1, 2]", "list.json");
    EXPECT_EQ(errorOf([&] { JsonReader(list, "list.json").string("id"); }),
              "list.json: must be a JSON object (it is a list)");
}

TEST(JsonPolicy, HugeUnsignedIntegersDoNotWrap) {
    const auto doc = parseJson(R"({"n": 18446744073709551615})", "n.json");
    EXPECT_TRUE(contains(errorOf([&] { JsonReader(doc, "n.json").integer("n", 0, 100); }), "more than 100"));
}

TEST(JsonPolicy, DumpReplacesInvalidUtf8AndIndentsOnlySmallFiles) {
    const nlohmann::json j = {{"path", std::string("/models/\xff\xfe-name")}};
    EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what the policy avoids
    EXPECT_TRUE(contains(dumpJson(j), "/models/\xEF\xBF\xBD\xEF\xBF\xBD-name"));
    EXPECT_TRUE(contains(dumpJsonFile(nlohmann::json{{"a", 1}}), "\n  \"a\": 1"));
    nlohmann::json big = nlohmann::json::array();
    for (int i = 0; i < 20000; ++i) big.push_back({{"k", i}});
    const std::string text = dumpJsonFile(big);
    EXPECT_EQ(text.find("\n  "), std::string::npos) << "large files are written compact";
}

TEST(JsonPolicy, Utf8Validation) {
    EXPECT_TRUE(isValidUtf8("plain ascii"));
    EXPECT_TRUE(isValidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    EXPECT_FALSE(isValidUtf8("\xff\xfe"));
    EXPECT_FALSE(isValidUtf8("\xC3"));              // truncated
    EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // a surrogate
    EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}
