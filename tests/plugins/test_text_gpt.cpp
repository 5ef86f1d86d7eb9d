// text-gpt against the PyTorch reference (tests/reference/text_gpt.py): a
// random-weight GPT-2 and Llama folder in Hugging Face layout. Logits agree
// to 1e-4 through the batched pass, the CPU decode kernels and the torch
// decode path; greedy continuations are identical; the folders import and
// generate through the engine; 8-bit weights compute what their dequantized
// float32 weights do; bad folders and prompts get clear messages;
// the trainer trains, resumes and writes a package that runs.
#define LATENT_TEST_TORCH 1
#include "ImageFamilyTestSupport.h"

#include <torch/torch.h>

#include "Generation.h"
#include "GptModel.h"
#include "TextGenerator.h"
#include "TextTasks.h"
#include "TransformerForward.h"
#include "latent/FolderImport.h"
#include "latent/PluginHost.h"
#include "latent/plugin/ModelFamily.h"
#include "latent/text/SentencePieceTokenizer.h"

namespace fs = std::filesystem;
using namespace latent;
using namespace latent::gpt;
using nlohmann::json;

namespace {

const test::ReferenceOutputs& g_ref = test::ReferenceOutputs::add("text_gpt.py");

json reference(const std::string& model) {
    std::ifstream in(g_ref.dir() / model / "reference.json");
    return json::parse(in);
}

double maxRowDiff(const float* row, const json& expected) {
    double worst = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        worst = std::max(worst, std::abs(double(row[i]) - expected[i].get<double>()));
    return worst;
}

std::vector<std::int32_t> greedy(const std::shared_ptr<const GptModel>& m, const std::vector<std::int32_t>& prompt,
                                 int n) {
    TextGenerator gen(m, std::int64_t(prompt.size()) + n);
    gen.prefill(prompt);
    GenerationRequest r;
    r.sampling.temperature = 0;
    r.maxNewTokens = n;
    r.stopAtEndOfText = false;
    std::vector<std::int32_t> ids;
    runGeneration(*m, gen, r, [&](const GeneratedToken& t) { ids.push_back(t.choice.id); }, {}, nullptr);
    return ids;
}

class Parity : public ::testing::TestWithParam<std::string> {};

TEST_P(Parity, PromptTokensMatchTheReferenceTokenizer) {
    const json ref = reference(GetParam());
    const auto m = GptModel::loadFolder(g_ref.dir() / GetParam(), "cpu");
    EXPECT_EQ(promptTokens(*m, ref["prompt_text"]), ref["prompt_ids"].get<std::vector<std::int32_t>>());
}

TEST_P(Parity, BatchedLogitsAgreeTo1e4) {
    c10::InferenceMode guard;
    const json ref = reference(GetParam());
    const auto m = GptModel::loadFolder(g_ref.dir() / GetParam(), "cpu");
    const auto ids = ref["prompt_ids"].get<std::vector<std::int64_t>>();
    const at::Tensor input = torch::tensor(ids, torch::kLong).unsqueeze(0);
    const at::Tensor logits = transformerForward(m->weights, m->config, input, 0, nullptr).squeeze(0).contiguous();
    ASSERT_EQ(logits.size(0), std::int64_t(ids.size()));
    for (std::size_t t = 0; t < ids.size(); ++t)
        EXPECT_LT(maxRowDiff(logits[std::int64_t(t)].data_ptr<float>(), ref["logits"][t]), 1e-4) << "position " << t;
}

TEST_P(Parity, CachedDecodingAgreesTo1e4OnBothPaths) {
    c10::InferenceMode guard;
    const json ref = reference(GetParam());
    const auto cpu = GptModel::loadFolder(g_ref.dir() / GetParam(), "cpu");
    ASSERT_TRUE(cpu->cpuDecoder) << "float32 on the CPU uses the decode kernels";
    auto generic = std::make_shared<GptModel>(*cpu);
    generic->cpuDecoder.reset();  // the torch path CUDA uses
    const auto ids = ref["prompt_ids"].get<std::vector<std::int32_t>>();
    for (const auto& m : {std::shared_ptr<const GptModel>(cpu), std::shared_ptr<const GptModel>(generic)}) {
        TextGenerator gen(m, 64);
        gen.prefill({ids.begin(), ids.begin() + 3});
        EXPECT_LT(maxRowDiff(gen.logits().data(), ref["logits"][2]), 1e-4);
        for (std::size_t t = 3; t < ids.size(); ++t) {
            gen.step(ids[t]);
            EXPECT_LT(maxRowDiff(gen.logits().data(), ref["logits"][t]), 1e-4) << "position " << t;
        }
    }
}

TEST_P(Parity, GreedyContinuationIsIdentical) {
    c10::InferenceMode guard;
    const json ref = reference(GetParam());
    const auto cpu = GptModel::loadFolder(g_ref.dir() / GetParam(), "cpu");
    auto generic = std::make_shared<GptModel>(*cpu);
    generic->cpuDecoder.reset();
    const auto prompt = ref["prompt_ids"].get<std::vector<std::int32_t>>();
    const auto expected = ref["greedy_ids"].get<std::vector<std::int32_t>>();
    EXPECT_EQ(greedy(cpu, prompt, int(expected.size())), expected);
    EXPECT_EQ(greedy(generic, prompt, int(expected.size())), expected);
}

// The float32 model the 8-bit one stands for: its weights dequantized.
std::shared_ptr<GptModel> dequantized(const GptModel& q) {
    auto m = std::make_shared<GptModel>(q);
    m->weights.tokenEmbedding = q.q8->tokenEmbedding.dequantize();
    m->weights.lmHead = q.q8->lmHead.defined() ? q.q8->lmHead.dequantize() : m->weights.tokenEmbedding;
    for (std::size_t i = 0; i < m->weights.layers.size(); ++i)
        m->weights.layers[i] = q.q8->floatLayer(i, m->weights.layers[i]);
    m->q8.reset();
    m->cpuDecoder.reset();
    return m;
}

TEST_P(Parity, EightBitWeightsComputeWhatTheyStandFor) {
    c10::InferenceMode guard;
    const json ref = reference(GetParam());
    const auto f32 = GptModel::loadFolder(g_ref.dir() / GetParam(), "cpu");
    const auto q = GptModel::loadFolder(g_ref.dir() / GetParam(), "cpu", "int8");
    ASSERT_TRUE(q->q8 && q->cpuDecoder);
    EXPECT_EQ(q->dtypeName(), "int8");
    EXPECT_FALSE(q->weights.tokenEmbedding.defined()) << "the float32 matrices are released";
    EXPECT_LT(double(q->memoryBytes()), 0.4 * double(f32->memoryBytes()));
    const auto reference32 = dequantized(*q);
    const auto ids = ref["prompt_ids"].get<std::vector<std::int32_t>>();
    const at::Tensor input = torch::tensor(std::vector<std::int64_t>(ids.begin(), ids.end()), torch::kLong).unsqueeze(0);
    const at::Tensor expected =
        transformerForward(reference32->weights, reference32->config, input, 0, nullptr).squeeze(0).contiguous();
    // Prefill (layers dequantized on the fly, the last row through the 8-bit
    // kernel) and every decoded position through the 8-bit kernels.
    TextGenerator gen(q, 64);
    gen.prefill({ids.begin(), ids.begin() + 3});
    auto diff = [&](std::size_t t) {
        return (torch::from_blob(const_cast<float*>(gen.logits().data()), {expected.size(1)}) - expected[std::int64_t(t)])
            .abs()
            .max()
            .item<double>();
    };
    EXPECT_LT(diff(2), 1e-4);
    for (std::size_t t = 3; t < ids.size(); ++t) {
        gen.step(ids[t]);
        EXPECT_LT(diff(t), 1e-4) << "position " << t;
    }
    // Scoring takes every row through the dequantized output layer.
    TextGenerator scorer(q, 64);
    std::vector<float> rows;
    scorer.prefillScored(ids, rows);
    EXPECT_LT((torch::from_blob(rows.data(), expected.sizes()) - expected).abs().max().item<double>(), 1e-4);
    // And 8 bits stay close to the float32 model itself.
    const at::Tensor exact = torch::tensor(ref["logits"].back().get<std::vector<float>>());
    const double spread = (exact.max() - exact.min()).item<double>();
    EXPECT_LT((torch::from_blob(const_cast<float*>(gen.logits().data()), {exact.size(0)}) - exact).abs().max().item<double>(),
              0.05 * spread);
}

INSTANTIATE_TEST_SUITE_P(TextGpt, Parity, ::testing::Values("gpt2", "llama"));

TEST(TextGptQ8, BlocksRoundToHalfAStepOfTheirScale) {
    torch::manual_seed(3);
    at::Tensor w = torch::randn({5, 96}) * torch::rand({5, 1}) * 4;
    w.narrow(1, 32, 32).select(0, 2).zero_();  // an all-zero block stays zero (no division by zero)
    const Q8Matrix q = Q8Matrix::quantize(w);
    ASSERT_EQ(q.values.scalar_type(), at::kChar);
    ASSERT_EQ(q.scales.sizes(), (std::vector<std::int64_t>{5, 3}));
    const at::Tensor err = (q.dequantize() - w).abs().view({5, 3, 32}).amax(-1);
    EXPECT_TRUE((err <= q.scales * 0.5 + 1e-6).all().item<bool>());
    EXPECT_EQ(q.scales[2][1].item<float>(), 0.0f);
    EXPECT_TRUE(q.dequantize()[2].narrow(0, 32, 32).eq(0).all().item<bool>());
    EXPECT_TRUE((q.lookup(torch::tensor({4, 0}, torch::kLong)) - q.dequantize().index({torch::tensor({4, 0})}))
                    .abs()
                    .max()
                    .item<double>() == 0.0);
    try {
        Q8Matrix::quantize(torch::randn({4, 48}));
        FAIL() << "48-wide rows cannot be cut into blocks of 32";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("multiple of 32"), std::string::npos) << e.what();
    }
}

TEST(TextGptQ8, DtypeChoicesAreCheckedWithMessages) {
    const fs::path dir = g_ref.dir() / "gpt2";
    auto message = [&](const std::string& device, const std::string& dtype) {
        try {
            GptModel::loadFolder(dir, device, dtype);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(message("cpu", "int4").find("float32, float16, bfloat16, int8, auto"), std::string::npos);
    EXPECT_NE(message("cuda:0", "int8").find("8-bit weights run on the CPU"), std::string::npos);
    EXPECT_NE(message("cpu", "float16").find("float32 or int8"), std::string::npos);
}

TEST(TextGptGeneration, StopSequencesEndTheTextBeforeThem) {
    c10::InferenceMode guard;
    const json ref = reference("gpt2");
    const auto m = GptModel::loadFolder(g_ref.dir() / "gpt2", "cpu");
    const auto prompt = ref["prompt_ids"].get<std::vector<std::int32_t>>();
    std::string full;
    for (auto id : greedy(m, prompt, 24)) full += m->tokenizer->tokenBytes(id);
    const std::string stop = full.substr(full.size() / 2, 3);
    TextGenerator gen(m, 64);
    gen.prefill(prompt);
    GenerationRequest r;
    r.sampling.temperature = 0;
    r.maxNewTokens = 24;
    r.stops = {stop};
    std::string shown;
    std::string tail;
    const StopReason reason =
        runGeneration(*m, gen, r, [&](const GeneratedToken& t) { shown += t.text; }, {}, &tail);
    EXPECT_EQ(reason, StopReason::StopSequence);
    EXPECT_EQ(shown, full.substr(0, full.find(stop)));
}

// Code completion takes the prompt's last token (a whitespace run whole)
// back and lets the first new tokens re-choose those bytes.
TEST(TextGptGeneration, CompletionHealsThePromptsLastToken) {
    c10::InferenceMode guard;
    const json ref = reference("gpt2");
    const auto m = GptModel::loadFolder(g_ref.dir() / "gpt2", "cpu");
    const std::string text = ref["prompt_text"].get<std::string>() + "  \n   ";
    auto ids = promptTokens(*m, text);
    const auto full = ids;
    const std::string heal = healLastToken(*m, ids);
    ASSERT_FALSE(heal.empty());
    EXPECT_EQ(heal.find_first_not_of(" \n"), std::string::npos) << "only the whitespace run is taken back";
    EXPECT_EQ(m->tokenizer->decode(ids) + heal, m->tokenizer->decode(full));
    EXPECT_NE(m->tokenizer->tokenBytes(ids.back()).find_first_not_of(" \n"), std::string::npos);

    TextGenerator gen(m, 64);
    gen.prefill(ids);
    // The first token the model may take: the likeliest that agrees with the healed bytes.
    std::int32_t expectedFirst = -1;
    for (std::int32_t id = 0; id < m->tokenizer->vocabSize(); ++id) {
        const std::string b = m->tokenizer->isSpecial(id) ? "" : m->tokenizer->tokenBytes(id);
        const std::size_t n = std::min(b.size(), heal.size());
        if (!b.empty() && b.compare(0, n, heal, 0, n) == 0 &&
            (expectedFirst < 0 || gen.logits()[std::size_t(id)] > gen.logits()[std::size_t(expectedFirst)]))
            expectedFirst = id;
    }
    GenerationRequest r;
    r.sampling.temperature = 0;
    r.maxNewTokens = 8;
    r.stopAtEndOfText = false;
    r.healPrefix = heal;
    std::string shown, tail, bytes;
    std::vector<std::int32_t> out;
    runGeneration(*m, gen, r, [&](const GeneratedToken& t) {
        out.push_back(t.choice.id);
        bytes += m->tokenizer->tokenBytes(t.choice.id);
        shown += t.text;
    }, {}, &tail);
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.front(), expectedFirst);
    EXPECT_EQ(bytes.substr(0, heal.size()), heal) << "the new tokens begin with the bytes taken back";
    EXPECT_EQ(shown + tail, bytes.substr(heal.size())) << "and only what follows them is shown";
    // Nothing to take back from a lone token.
    std::vector<std::int32_t> one = {ids.front()};
    EXPECT_EQ(healLastToken(*m, one), "");
    EXPECT_EQ(one.size(), 1u);
}

TEST(TextGptGeneration, SameSeedSameTextAndStopSequenceParsing) {
    c10::InferenceMode guard;
    const auto m = GptModel::loadFolder(g_ref.dir() / "llama", "cpu");
    text::SamplingParams sp{0.9, 20, 0.9, 1.1};
    EXPECT_EQ(sampleContinuation(m, "The river", sp, 5, 30), sampleContinuation(m, "The river", sp, 5, 30));
    EXPECT_NE(sampleContinuation(m, "The river", sp, 5, 30), sampleContinuation(m, "The river", sp, 6, 30));
    EXPECT_EQ(parseStopSequences("a|\\n\\n|b\\|c"), (std::vector<std::string>{"a", "\n\n", "b|c"}));
}

// The engine end to end: import the folders, generate, score, cancel.
struct TextEngine : test::ImageEngineFixture {
    std::string import(const std::string& model) {
        FolderImportOptions o;
        o.folder = g_ref.dir() / model;
        o.destRoot = home.path();
        const ModelPackage p = importModelFolder(engine->plugins(), o);
        engine->models().rescan();
        return p.id;
    }
    std::vector<TextDelta> deltas(JobId job) {
        std::vector<TextDelta> out;
        std::lock_guard lock(sink->m_mutex);
        for (const auto& c : sink->chunks[job])
            if (const auto* d = std::get_if<TextDelta>(c.get())) out.push_back(*d);
        return out;
    }
    // Whether the job logged a line containing `text`.
    bool logged(JobId job, const std::string& text) {
        std::lock_guard lock(sink->m_mutex);
        for (const auto& c : sink->chunks[job])
            if (const auto* l = std::get_if<LogLine>(c.get()); l && l->message.find(text) != std::string::npos)
                return true;
        return false;
    }
    std::map<std::string, double> metrics(JobId job) {
        std::map<std::string, double> out;
        std::lock_guard lock(sink->m_mutex);
        for (const auto& c : sink->chunks[job])
            if (const auto* mt = std::get_if<Metric>(c.get())) out[mt->name] = mt->value;
        return out;
    }
};

TEST_F(TextEngine, ImportedFoldersGenerateTheReferenceGreedyText) {
    for (const std::string model : {"gpt2", "llama"}) {
        const json ref = reference(model);
        const std::string id = import(model);
        JobInputs in;
        in.prompt = ref["prompt_text"];
        JobId job = 0;
        const auto end = run(id, "text.generate", {{"temperature", 0.0}, {"max_new_tokens", std::int64_t(24)}}, 1, in,
                             &job);
        ASSERT_EQ(end.state, JobState::Finished) << end.message;
        std::vector<std::int32_t> ids;
        std::string text;
        for (const auto& d : deltas(job)) {
            ids.insert(ids.end(), d.tokenIds.begin(), d.tokenIds.end());
            text += d.text;
            for (std::size_t k = 0; k < d.tokenIds.size(); ++k) {
                ASSERT_EQ(d.alternatives.size(), d.tokenIds.size());
                EXPECT_EQ(d.alternatives[k].ids.size(), 5u);
                EXPECT_EQ(d.alternatives[k].ids.front(), d.tokenIds[k]) << "greedy picks the most likely";
                EXPECT_LE(d.logprobs[k], 0.0f);
            }
        }
        // The engine stops at EOS, the reference never does: compare up to it.
        const auto expected = ref["greedy_ids"].get<std::vector<std::int32_t>>();
        ASSERT_LE(ids.size(), expected.size());
        EXPECT_EQ(ids, std::vector<std::int32_t>(expected.begin(), expected.begin() + std::ptrdiff_t(ids.size())))
            << model;
        EXPECT_GT(metrics(job).count("time_to_first_token_ms"), 0u);
    }
}

TEST_F(TextEngine, ScoreGivesPerplexityAndBitsPerByte) {
    const std::string id = import("gpt2");
    JobInputs in;
    in.prompt = "The quick painter draws zebras";
    JobId job = 0;
    ASSERT_EQ(run(id, "text.score", {}, 1, in, &job).state, JobState::Finished);
    double nats = 0;
    int scored = 0;
    std::string text;
    for (const auto& d : deltas(job)) {
        text += d.text;
        for (float lp : d.logprobs) {
            nats -= lp;
            ++scored;
        }
    }
    EXPECT_EQ(text, in.prompt) << "scoring shows the text it scored";
    const auto m = metrics(job);
    ASSERT_TRUE(m.count("perplexity") && m.count("bits_per_byte"));
    EXPECT_NEAR(m.at("perplexity"), std::exp(nats / scored), 1e-3 * m.at("perplexity"));
    EXPECT_NEAR(m.at("bits_per_byte"), nats / std::log(2.0) / double(in.prompt.size()), 1e-4);
}

TEST_F(TextEngine, LongPromptsKeepTheirEnd) {
    const std::string id = import("gpt2");
    JobInputs in;
    for (int i = 0; i < 80; ++i) in.prompt += "The painter draws. ";  // far beyond the 64-token context
    JobId job = 0;
    const auto end = run(id, "text.generate", {{"max_new_tokens", std::int64_t(8)}}, 1, in, &job);
    EXPECT_EQ(end.state, JobState::Finished) << end.message;
    EXPECT_FALSE(deltas(job).empty());
    EXPECT_TRUE(logged(job, "it sees only the last")) << "the dropped beginning is announced";
}

TEST(TextGptGeneration, StopEndsWithinOneToken) {
    c10::InferenceMode guard;
    const json ref = reference("llama");
    const auto m = GptModel::loadFolder(g_ref.dir() / "llama", "cpu");
    TextGenerator gen(m, 64);
    gen.prefill(ref["prompt_ids"].get<std::vector<std::int32_t>>());
    GenerationRequest r;
    r.maxNewTokens = 40;
    r.stopAtEndOfText = false;
    int produced = 0;
    bool stop = false;
    runGeneration(
        *m, gen, r,
        [&](const GeneratedToken&) {
            if (++produced == 3) stop = true;  // Stop pressed while the third token shows
        },
        [&] { return stop; }, nullptr);
    EXPECT_EQ(produced, 3);
}

TEST_F(TextEngine, BadFoldersGetMessagesThatSayWhy) {
    auto importError = [&](const fs::path& dir) -> std::string {
        try {
            FolderImportOptions o;
            o.folder = dir;
            o.destRoot = home.path() / "out";
            importModelFolder(engine->plugins(), o);
        } catch (const Error& e) {
            return e.what();
        }
        return "(imported)";
    };
    test::TempDir tmp;
    auto copyOf = [&](const std::string& model, const std::string& name) {
        const fs::path d = tmp.path() / name;
        fs::copy(g_ref.dir() / model, d, fs::copy_options::recursive);
        return d;
    };
    auto patchConfig = [](const fs::path& d, const std::function<void(json&)>& f) {
        json c = json::parse(std::ifstream(d / "config.json"));
        f(c);
        std::ofstream(d / "config.json") << c.dump();
    };
    const fs::path bert = copyOf("gpt2", "bert");
    patchConfig(bert, [](json& c) { c["model_type"] = "bert"; });
    EXPECT_NE(importError(bert).find("Supported architectures: gpt2"), std::string::npos) << importError(bert);

    const fs::path vocab = copyOf("gpt2", "vocab");
    patchConfig(vocab, [](json& c) { c["vocab_size"] = 100; });
    EXPECT_NE(importError(vocab).find("the tokenizer has 377 tokens but config.json's vocab_size is 100"),
              std::string::npos)
        << importError(vocab);

    const fs::path broken = copyOf("llama", "broken");
    std::ofstream(broken / "config.json") << "{\"model_type\": \"llama\", ";
    EXPECT_NE(importError(broken).find("not valid JSON"), std::string::npos);

    const fs::path noTok = copyOf("llama", "notok");
    fs::remove(noTok / "tokenizer.json");
    EXPECT_NE(importError(noTok).find("has no tokenizer"), std::string::npos);

    EXPECT_NE(importError(tmp.path()).find("not a model folder any plugin can run"), std::string::npos);

    // Weights that do not fit the config: the import succeeds (it reads no
    // weights), loading names the tensor.
    const fs::path wide = copyOf("gpt2", "wide");
    patchConfig(wide, [](json& c) { c["vocab_size"] = 400; });
    try {
        GptModel::loadFolder(wide, "cpu");
        FAIL() << "loaded mis-shaped weights";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("config.json says vocab_size 400 but the embedding 'wte.weight' has 377"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(TextEngine, TrainerTrainsResumesAndWritesAPackageThatRuns) {
    test::TempDir data;
    for (int f = 0; f < 6; ++f) {
        std::ofstream out(data.path() / ("doc" + std::to_string(f) + ".txt"));
        for (int i = 0; i < 60; ++i) out << "The cat sat on the mat number " << (i + f) % 7 << ". The dog ran.\n";
    }
    ModelFamily& family = engine->plugins().family("text-gpt");
    const TaskInfo task = *family.trainTask();
    const fs::path out = home.path() / "tiny";
    auto trainJob = [&](std::int64_t steps) {
        JobRequest r;
        r.params = validateParams(task.params, {{"data", data.path().string()}, {"out", out.string()},
                                                {"steps", steps}, {"batch", std::int64_t(4)},
                                                {"context", std::int64_t(16)}, {"vocab", std::int64_t(300)},
                                                {"width", std::int64_t(32)}, {"layers", std::int64_t(1)},
                                                {"heads", std::int64_t(2)}, {"eval_every", std::int64_t(2)},
                                                {"checkpoint_every", std::int64_t(2)},
                                                {"hold_out_every", std::int64_t(3)}});
        r.seed = 9;
        r.work = [&family](JobContext& ctx) { family.train(ctx); };
        const JobId id = engine->submit(std::move(r));
        return std::make_pair(id, sink->waitEnd(id));
    };
    auto [first, end1] = trainJob(2);
    ASSERT_EQ(end1.state, JobState::Finished) << end1.message;
    auto [second, end2] = trainJob(4);
    ASSERT_EQ(end2.state, JobState::Finished) << end2.message;
    EXPECT_TRUE(logged(second, "resuming from step 2")) << "the second run continues the first's checkpoint";
    const ModelPackage p = readModelManifest(out / "model.json");
    EXPECT_EQ(p.family, "text-gpt");
    EXPECT_GT(p.provenance["metrics"].value("val_bits_per_byte", 0.0), 0.0);
    EXPECT_TRUE(fs::exists(out / "README.md"));
    engine->models().rescan();
    JobInputs in;
    in.prompt = "The cat";
    JobId job = 0;
    ASSERT_EQ(run(p.id, "text.generate", {{"max_new_tokens", std::int64_t(5)}}, 3, in, &job).state, JobState::Finished);
    EXPECT_FALSE(deltas(job).empty());
}

// libsentencepiece bundles protobuf-lite 3.14; this process links LibTorch
// and its libprotobuf 3.21. Sharing one symbol scope either crashed in
// libprotobuf's static initialisers or aborted in sentencepiece's version
// check, so the tokenizer loads it through liblatent_sentencepiece.so in a
// scope of its own. The model comes from the spm_train tool (Debian package
// sentencepiece) so this binary never links libsentencepiece itself.
TEST(TextGptSentencePiece, LoadsBesideLibTorch) {
    LATENT_SKIP_WITHOUT_SENTENCEPIECE();
    ASSERT_EQ(std::system("command -v spm_train >/dev/null 2>&1"), 0)
        << "spm_train (Debian package sentencepiece, installed by scripts/studio) trains the test model";
    test::TempDir tmp;
    const fs::path input = tmp.path() / "text.txt";
    {
        std::ofstream out(input);
        for (int i = 0; i < 40; ++i)
            out << "The quick brown fox jumps over the lazy dog number " << i << ".\n"
                << "A tokenizer splits text into pieces; pieces become ids.\n";
    }
    const std::string command = "spm_train --input='" + input.string() + "' --model_prefix='" +
                                (tmp.path() / "tokenizer").string() +
                                "' --vocab_size=400 --model_type=bpe --byte_fallback=true"
                                " --character_coverage=1.0 --minloglevel=2 >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    const auto before = torch::ones({2, 2}).sum().item<float>();
    const text::SentencePieceTokenizer tok(tmp.path() / "tokenizer.model");
    EXPECT_EQ(tok.vocabSize(), 400);
    EXPECT_EQ(tok.bosId(), 1);
    EXPECT_EQ(tok.eosId(), 2);
    EXPECT_TRUE(tok.isSpecial(0));
    const std::string prompt = "The quick fox splits text: \xC3\xBC \xF0\x9F\x98\x80";  // ü 😀
    const auto ids = tok.encode(prompt);
    EXPECT_FALSE(ids.empty());
    EXPECT_EQ(tok.decode(ids), prompt);
    std::string joined;
    for (auto id : ids) joined += tok.tokenBytes(id);
    EXPECT_EQ(joined, " " + prompt);
    EXPECT_EQ(torch::ones({2, 2}).sum().item<float>(), before) << "LibTorch still works with the tokenizer loaded";
}

}  // namespace
