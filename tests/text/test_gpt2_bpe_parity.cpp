// GPT-2's tokenizer, token for token against the reference encoder (npm
// gpt-3-encoder run by node) on a corpus of whitespace runs, punctuation,
// digits, accents, CJK and emoji; decoding gives back the exact bytes.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "TestSupport.h"
#include "latent/text/BpeTokenizer.h"

namespace fs = std::filesystem;
using latent::text::BpeTokenizer;

namespace {

nlohmann::json readJson(const fs::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

TEST(Gpt2BpeParity, MatchesTheReferenceEncoderTokenForToken) {
    const fs::path pkg = LATENT_GPT3_ENCODER_DIR;
    ASSERT_TRUE(fs::exists(pkg / "encoder.json")) << "the fetch_gpt3_encoder test provides " << pkg;
    ASSERT_FALSE(std::string(LATENT_NODE).empty()) << "node is needed to run the reference encoder (apt nodejs)";
    const fs::path corpus = fs::path(LATENT_SOURCE_DIR) / "tests/data/tokenizer_corpus.json";
    latent::test::TempDir tmp;
    const fs::path out = tmp.path() / "ids.json";
    const std::string cmd = std::string(LATENT_NODE) + " " + LATENT_SOURCE_DIR + "/tests/reference/gpt2_encoder.js " +
                            pkg.string() + " " + corpus.string() + " " + out.string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

    const BpeTokenizer tok(BpeTokenizer::readGpt2Files(pkg / "encoder.json", pkg / "vocab.bpe"));
    EXPECT_EQ(tok.vocabSize(), 50257);
    EXPECT_EQ(tok.eosId(), 50256);
    const auto texts = readJson(corpus);
    const auto expected = readJson(out).at("ids");
    ASSERT_EQ(texts.size(), expected.size());
    std::size_t tokens = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string text = texts[i].get<std::string>();
        const auto ids = tok.encode(text);
        EXPECT_EQ(ids, expected[i].get<std::vector<std::int32_t>>()) << "line " << i << ": " << text;
        EXPECT_EQ(tok.decode(ids), text) << "round trip of line " << i;
        tokens += ids.size();
    }
    EXPECT_GT(tokens, 500u);
}

TEST(Gpt2BpeParity, EndOfTextIsOneSpecialToken) {
    const fs::path pkg = LATENT_GPT3_ENCODER_DIR;
    ASSERT_TRUE(fs::exists(pkg / "encoder.json"));
    const BpeTokenizer tok(BpeTokenizer::readGpt2Files(pkg / "encoder.json", pkg / "vocab.bpe"));
    const auto ids = tok.encode("end.<|endoftext|>Start");
    ASSERT_EQ(ids.size(), 4u);
    EXPECT_EQ(ids[2], 50256);
    EXPECT_TRUE(tok.isSpecial(50256));
    EXPECT_EQ(tok.decode(ids), "end.<|endoftext|>Start");
}

}  // namespace
