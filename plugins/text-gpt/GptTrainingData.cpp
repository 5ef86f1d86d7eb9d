#include "GptTrainingData.h"

#include <string>

#include "latent/Error.h"
#include "latent/TextFormat.h"
#include "latent/text/BpeTrainer.h"

namespace latent::gpt::detail {
namespace {

std::vector<std::int32_t> encodeDocuments(const text::Tokenizer& tok, const std::vector<TextDocument>& docs,
                                          JobContext& ctx, const std::string& what) {
    std::vector<std::int32_t> ids;
    const std::int32_t eos = *tok.eosId();
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto part = tok.encode(docs[i].text);
        ids.insert(ids.end(), part.begin(), part.end());
        ids.push_back(eos);
        if (i % 64 == 0) {
            ctx.throwIfStopped();
            ctx.progress(0, 1, "tokenizing " + what + " (" + std::to_string(i) + "/" + std::to_string(docs.size()) +
                                   " files)");
        }
    }
    return ids;
}

}  // namespace

text::BpeTokenizer prepareTokenizer(JobContext& ctx, const TrainingSettings& s, const TextCorpus& corpus,
                                    const std::filesystem::path& folder, bool learn) {
    if (learn) {
        text::BpeTrainer bpe({std::int32_t(s.vocab), 2, {"<|endoftext|>"}});
        std::uint64_t used = 0;
        for (const auto& d : corpus.train) {
            if (s.tokenizerBytes && used >= std::uint64_t(s.tokenizerBytes)) break;
            bpe.addText(d.text);
            used += d.text.size();
        }
        const auto spec = bpe.train([&](std::int64_t done, std::int64_t total) {
            ctx.progress(0, s.steps, "learning the tokenizer (" + std::to_string(done) + "/" + std::to_string(total) +
                                         " merges)");
            return !ctx.stopRequested();
        });
        text::BpeTokenizer(spec).saveGpt2Files(folder / "vocab.json", folder / "merges.txt");
    }
    return text::BpeTokenizer(text::BpeTokenizer::readGpt2Files(folder / "vocab.json", folder / "merges.txt"),
                              (folder / "vocab.json").string());
}

TokenStreams encodeCorpus(JobContext& ctx, const text::Tokenizer& tok, const TextCorpus& corpus, std::int64_t context) {
    TokenStreams ids;
    ids.train = encodeDocuments(tok, corpus.train, ctx, "training text");
    ids.validation = encodeDocuments(tok, corpus.validation, ctx, "held-out text");
    if (std::int64_t(ids.train.size()) <= context + 1 || std::int64_t(ids.validation.size()) <= context + 1)
        throw Error(ErrorKind::BadArgument, "too little text for a context of " + std::to_string(context) +
                                                " tokens (" + std::to_string(ids.train.size()) + " training and " +
                                                std::to_string(ids.validation.size()) + " held-out tokens)");
    ctx.log(LogLevel::Info, "tokens: " + std::to_string(ids.train.size()) + " training, " +
                                std::to_string(ids.validation.size()) + " held out (" +
                                formatFixed(double(corpus.trainBytes()) / double(ids.train.size()), 2) +
                                " bytes per token)");
    return ids;
}

at::Tensor batchFrom(const std::vector<std::int32_t>& ids, const std::vector<std::int64_t>& starts, std::int64_t context) {
    at::Tensor b = at::empty({std::int64_t(starts.size()), context + 1}, at::kLong);
    auto acc = b.accessor<std::int64_t, 2>();
    for (std::size_t r = 0; r < starts.size(); ++r)
        for (std::int64_t t = 0; t <= context; ++t) acc[std::int64_t(r)][t] = ids[std::size_t(starts[r] + t)];
    return b;
}

}  // namespace latent::gpt::detail
