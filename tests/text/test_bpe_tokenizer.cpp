// Byte-pair encoding: the trainer, both flavours of the tokenizer, the file
// formats they come in and the messages bad files get.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/text/BpeTokenizer.h"
#include "latent/text/BpeTrainer.h"
#include "latent/text/TokenizerFolder.h"

namespace fs = std::filesystem;
using namespace latent;
using namespace latent::text;

namespace {

const char* kText =
    "The cat sat on the mat. The cat ate the rat. Then the cat sat on the hat, and the rat sat on the cat.\n"
    "    def sat(self, mat):\n        return self.cat + mat  # the cat\n";

BpeSpec trained(std::int32_t vocab = 300) {
    BpeTrainer trainer({vocab, 2, {"<|endoftext|>"}});
    for (int i = 0; i < 5; ++i) trainer.addText(kText);
    return trainer.train();
}

void writeFile(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary) << s;
}

template <typename F>
std::string errorOf(F&& f, ErrorKind* kind = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "(no error)";
}

TEST(BpeTrainer, LearnsFrequentPairsAndSpecialTokens) {
    const BpeSpec spec = trained();
    EXPECT_EQ(spec.vocab.size(), 300u);
    ASSERT_FALSE(spec.merges.empty());
    // " t"+"he" style merges: the most frequent pair in this text involves
    // the space before "the"/"cat"/"sat".
    const BpeTokenizer tok(spec);
    EXPECT_EQ(tok.vocabSize(), 300);
    EXPECT_EQ(tok.eosId(), 299);
    EXPECT_TRUE(tok.isSpecial(299));
    const auto ids = tok.encode(" the cat sat");
    EXPECT_LE(ids.size(), 4u) << "frequent words become single tokens";
    EXPECT_EQ(tok.decode(ids), " the cat sat");
}

TEST(BpeTrainer, IsDeterministic) {
    const BpeSpec a = trained(), b = trained();
    EXPECT_EQ(a.vocab, b.vocab);
    EXPECT_EQ(a.merges, b.merges);
}

TEST(BpeTrainer, StopsAtTheMinimumFrequency) {
    BpeTrainer trainer({5000, 2, {}});
    trainer.addText("abc abd");
    const BpeSpec spec = trainer.train();
    EXPECT_LT(spec.vocab.size(), 270u) << "pairs seen once are not merged";
}

TEST(BpeTokenizer, EncodesAnyBytesAndRoundTrips) {
    const BpeTokenizer tok(trained());
    for (const std::string& s : {std::string("naïve café 😀 中文"), std::string("\xff\xfe broken \xc3"),
                                std::string("\n\n\t  spaces   "), std::string("<|endoftext|>x<|endoftext|>"),
                                std::string(1000, ' ')}) {
        const auto ids = tok.encode(s);
        EXPECT_EQ(tok.decode(ids), s);
        std::string joined;
        for (auto id : ids) joined += tok.tokenBytes(id);
        EXPECT_EQ(joined, s);
    }
}

TEST(BpeTokenizer, DisplayTextShowsPartialCharactersAsBytes) {
    const BpeTokenizer tok(trained());
    const auto ids = tok.encode("\xC3");
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(tok.displayText(ids[0]), "<0xC3>");
    const auto space = tok.encode(" the\n");
    std::string shown;
    for (auto id : space) shown += tok.displayText(id);
    EXPECT_EQ(shown, "\xE2\x90\xA3the\xE2\x86\xB5");
}

TEST(BpeTokenizer, Gpt2FilesRoundTrip) {
    latent::test::TempDir tmp;
    const BpeTokenizer tok(trained());
    tok.saveGpt2Files(tmp.path() / "vocab.json", tmp.path() / "merges.txt");
    const BpeTokenizer back(BpeTokenizer::readGpt2Files(tmp.path() / "vocab.json", tmp.path() / "merges.txt"));
    EXPECT_EQ(back.vocabSize(), tok.vocabSize());
    EXPECT_EQ(back.encode(kText), tok.encode(kText));
    EXPECT_EQ(back.eosId(), tok.eosId());
    // The folder loader finds them.
    const TokenizerFolder f = loadTokenizerFolder(tmp.path());
    EXPECT_EQ(f.tokenizer->encode(kText), tok.encode(kText));
    EXPECT_FALSE(f.addBos);
}

TEST(BpeTokenizer, MetaspaceWithByteFallback) {
    BpeSpec spec;
    spec.mode = BpeSpec::Mode::Metaspace;
    spec.addPrefixSpace = true;
    spec.byteFallback = true;
    spec.vocab = {"<unk>", "<s>", "</s>"};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        spec.vocab.push_back(name);
    }
    for (const char* t : {"\xE2\x96\x81", "h", "e", "l", "o", "w", "r", "d", "\xE2\x96\x81h", "el", "\xE2\x96\x81hel",
                          "lo", "\xE2\x96\x81hello"})
        spec.vocab.push_back(t);
    spec.merges = {{"\xE2\x96\x81", "h"}, {"e", "l"}, {"\xE2\x96\x81h", "el"}, {"l", "o"}, {"\xE2\x96\x81hel", "lo"}};
    spec.added = {{"<unk>", 0, true}, {"<s>", 1, true}, {"</s>", 2, true}};
    spec.bosId = 1;
    spec.eosId = 2;
    const BpeTokenizer tok(spec);
    const auto ids = tok.encode("hello wörld");
    // "▁hello" "▁" "w" then ö as two byte tokens, then "r" "l" "d".
    ASSERT_GE(ids.size(), 7u);
    EXPECT_EQ(tok.tokenBytes(ids[0]), " hello");
    EXPECT_EQ(ids[3], 3 + 0xC3);
    EXPECT_EQ(ids[4], 3 + 0xB6);
    EXPECT_EQ(tok.decode(ids), "hello wörld") << "the decoder drops the space the encoder added";
    EXPECT_EQ(tok.displayText(ids[0]), "\xE2\x90\xA3hello");
    EXPECT_EQ(tok.displayText(ids[3]), "<0xC3>");

    spec.byteFallback = false;
    spec.unkId.reset();
    const BpeTokenizer strict(spec);
    EXPECT_NE(errorOf([&] { strict.encode("wö"); }).find("cannot represent"), std::string::npos);
}

TEST(BpeTokenizer, TokenizerJsonByteLevelWithSplitAndDigits) {
    latent::test::TempDir tmp;
    const BpeSpec spec = trained();
    nlohmann::json vocab = nlohmann::json::object();
    for (std::size_t i = 0; i + 1 < spec.vocab.size(); ++i) vocab[spec.vocab[i]] = i;
    nlohmann::json merges = nlohmann::json::array();
    for (const auto& [a, b] : spec.merges) merges.push_back(nlohmann::json::array({a, b}));  // the newer pair form
    const nlohmann::json doc = {
        {"added_tokens", {{{"id", spec.vocab.size() - 1}, {"content", "<|endoftext|>"}, {"special", true}}}},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "Sequence"},
          {"pretokenizers",
           {{{"type", "Digits"}, {"individual_digits", true}},
            {{"type", "Split"}, {"pattern", {{"Regex", "(?i:'s|'t)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+|\\s+"}}},
             {"behavior", "Isolated"}, {"invert", false}},
            {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}}},
        {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}, {"ignore_merges", true}}}};
    writeFile(tmp.path() / "tokenizer.json", doc.dump());
    const TokenizerFolder f = loadTokenizerFolder(tmp.path());
    const auto ids = f.tokenizer->encode("THE cat's 2026 mat<|endoftext|>");
    EXPECT_EQ(f.tokenizer->decode(ids), "THE cat's 2026 mat<|endoftext|>");
    // Digits one by one: "2","0","2","6" are four tokens.
    int digits = 0;
    for (auto id : ids) {
        const std::string b = f.tokenizer->tokenBytes(id);
        if (b.size() == 1 && b[0] >= '0' && b[0] <= '9') ++digits;
    }
    EXPECT_EQ(digits, 4);
    EXPECT_EQ(ids.back(), std::int32_t(spec.vocab.size() - 1));
}

TEST(BpeTokenizer, BadFilesGetMessagesNamingTheProblem) {
    latent::test::TempDir tmp;
    ErrorKind kind{};
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }, &kind).find("tokenizer.json, vocab.json + merges.txt"),
              std::string::npos);
    EXPECT_EQ(kind, ErrorKind::ModelPackage);

    writeFile(tmp.path() / "tokenizer.json", "{ not json");
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }, &kind).find("not valid JSON"), std::string::npos);
    EXPECT_EQ(kind, ErrorKind::Format);

    writeFile(tmp.path() / "tokenizer.json", R"({"model": {"type": "WordPiece", "vocab": {}}})");
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }).find("WordPiece' is not supported"), std::string::npos);

    writeFile(tmp.path() / "tokenizer.json",
              R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a c"]}, "pre_tokenizer": null})");
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }).find("merge 1 ('a' + 'c')"), std::string::npos);

    writeFile(tmp.path() / "tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 5}, "merges": []}})");
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }).find("ids must be 0..1"), std::string::npos);

    writeFile(tmp.path() / "tokenizer.json",
              R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                  "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}})");
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }).find("does not compile"), std::string::npos);

    fs::remove(tmp.path() / "tokenizer.json");
    writeFile(tmp.path() / "vocab.json", R"({"a": 0})");
    writeFile(tmp.path() / "merges.txt", "#version: 0.2\n");
    EXPECT_NE(errorOf([&] { loadTokenizerFolder(tmp.path()); }).find("no token for byte"), std::string::npos);
}

TEST(Utf8, CompletePrefixHoldsBackUnfinishedCharacters) {
    EXPECT_EQ(completeUtf8Prefix("abc"), 3u);
    EXPECT_EQ(completeUtf8Prefix("ab\xC3"), 2u);
    EXPECT_EQ(completeUtf8Prefix("ab\xC3\xA9"), 4u);
    EXPECT_EQ(completeUtf8Prefix("\xF0\x9F\x98"), 0u);
    EXPECT_EQ(completeUtf8Prefix("\xF0\x9F\x98\x80"), 4u);
    EXPECT_EQ(completeUtf8Prefix(""), 0u);
}

}  // namespace
