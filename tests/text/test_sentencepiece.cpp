// SentencePiece models (tokenizer.model) through libsentencepiece: a model
// trained here on a small text, then read the way a Llama folder is read.
#include <fstream>

#include <gtest/gtest.h>
#include <sentencepiece_trainer.h>

#include "TestSupport.h"
#include "latent/Error.h"
#include "latent/text/SentencePieceTokenizer.h"
#include "latent/text/TokenizerFolder.h"

namespace fs = std::filesystem;
using namespace latent::text;

namespace {

fs::path trainModel(const fs::path& dir) {
    const fs::path input = dir / "text.txt";
    {
        std::ofstream out(input);
        for (int i = 0; i < 40; ++i)
            out << "The quick brown fox jumps over the lazy dog number " << i << ".\n"
                << "A tokenizer splits text into pieces; pieces become ids.\n";
    }
    const auto status = sentencepiece::SentencePieceTrainer::Train(
        "--input=" + input.string() + " --model_prefix=" + (dir / "tokenizer").string() +
        " --vocab_size=400 --model_type=bpe --byte_fallback=true --character_coverage=1.0 --minloglevel=2");
    EXPECT_TRUE(status.ok()) << status.ToString();
    return dir / "tokenizer.model";
}

TEST(SentencePiece, EncodesDecodesAndFallsBackToBytes) {
    LATENT_SKIP_WITHOUT_SENTENCEPIECE();
    latent::test::TempDir tmp;
    const SentencePieceTokenizer tok(trainModel(tmp.path()));
    EXPECT_EQ(tok.vocabSize(), 400);
    EXPECT_EQ(tok.bosId(), 1);
    EXPECT_EQ(tok.eosId(), 2);
    EXPECT_TRUE(tok.isSpecial(1));
    const std::string text = "The quick fox splits text: ü 😀";
    const auto ids = tok.encode(text);
    EXPECT_EQ(tok.decode(ids), text);
    // Streaming joins tokenBytes; only SentencePiece's leading space differs.
    std::string joined;
    for (auto id : ids) joined += tok.tokenBytes(id);
    EXPECT_EQ(joined, " " + text);
    EXPECT_EQ(completeUtf8Prefix(joined), joined.size());
}

TEST(SentencePiece, FolderPrefersItAndAddsBos) {
    LATENT_SKIP_WITHOUT_SENTENCEPIECE();
    latent::test::TempDir tmp;
    trainModel(tmp.path());
    const TokenizerFolder f = loadTokenizerFolder(tmp.path());
    EXPECT_EQ(f.tokenizer->kind(), "SentencePiece");
    EXPECT_TRUE(f.addBos) << "Llama's convention when tokenizer_config.json says nothing";
}

TEST(SentencePiece, CorruptModelIsAFormatError) {
    LATENT_SKIP_WITHOUT_SENTENCEPIECE();
    latent::test::TempDir tmp;
    std::ofstream(tmp.path() / "tokenizer.model") << "this is not a protobuf";
    try {
        SentencePieceTokenizer tok(tmp.path() / "tokenizer.model");
        FAIL() << "loaded a corrupt model";
    } catch (const latent::Error& e) {
        EXPECT_EQ(e.kind(), latent::ErrorKind::Format);
        EXPECT_NE(std::string(e.what()).find("not a SentencePiece model"), std::string::npos);
    }
}

}  // namespace
