// image-gan: the generator against the PyTorch reference
// (tests/reference/image_gan.py) on random weights, the training side
// (steps, checkpoint resume, loadable weights), and the family end to end
// through the engine: sampling, decoding, projection, cancellation, bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include "GanImageNet.h"
#include "GanTrainable.h"
#include "ImageFamilyTestSupport.h"
#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"

using namespace latent;
using latent::test::maxDiff;
using latent::test::readBytes;
using latent::test::readTensors;

namespace {

const test::ReferenceOutputs& g_ref = test::ReferenceOutputs::add("image_gan.py");

nlohmann::json caseConfigJson(const std::string& name) {
    return nlohmann::json::parse(readBytes(g_ref.dir() / name / "config.json"));
}

struct RefCase {
    nlohmann::json configJson;
    gan::GanConfig config;
    std::map<std::string, at::Tensor> weights;
    std::map<std::string, at::Tensor> io;
};

RefCase loadCase(const std::string& name) {
    RefCase c;
    const auto dir = g_ref.dir() / name;
    c.configJson = caseConfigJson(name);
    c.config = gan::GanConfig::fromJson(c.configJson, (dir / "config.json").string());
    c.weights = readTensors(dir / "weights.safetensors");
    c.io = readTensors(dir / "io.safetensors");
    return c;
}

}  // namespace


// ---- parity with PyTorch ---------------------------------------------------

TEST(GanParity, MappingTruncationAndSynthesisMatchPyTorch) {
    for (const char* name : {"cond", "uncond"}) {
        SCOPED_TRACE(name);
        const RefCase c = loadCase(name);
        gan::GanGenerator g(c.config);
        loadModuleWeights(*g, c.weights, name);
        at::NoGradGuard noGrad;
        const at::Tensor labels = c.config.numClasses > 0 ? c.io.at("labels") : at::Tensor();
        const at::Tensor w = g->mapping(c.io.at("z"), labels);
        EXPECT_LE(maxDiff(w, c.io.at("w")), 1e-4);
        const double psi = c.io.at("psi").item<double>();
        EXPECT_LE(maxDiff(g->truncate(w, psi), c.io.at("w_trunc")), 1e-4);
        // From the reference's w, so synthesis is checked on its own.
        const at::Tensor raw = g->synthesis(c.io.at("w_trunc"));
        EXPECT_LE(maxDiff(raw, c.io.at("raw")), 1e-4);
        EXPECT_LE(maxDiff(gan::GanGeneratorImpl::toUnit(raw), c.io.at("image")), 1e-4);
        // The reference is not degenerate: noise and classes change the output.
        EXPECT_GT(c.io.at("image").std().item<double>(), 0.1);
    }
}

TEST(GanParity, ImageNetDecodesLikeTheReferenceAndRejectsBadShapes) {
    const RefCase c = loadCase("uncond");
    gan::GanImageNet net(c.config, c.weights, "weights.safetensors", "cpu");
    EXPECT_EQ(net.latentDim(), 40);
    EXPECT_EQ(net.channels(), 3);
    EXPECT_EQ(net.height(), 16);
    EXPECT_TRUE(net.canEncode());
    EXPECT_TRUE(net.scores(c.io.at("image")).empty());
    EXPECT_LE(maxDiff(net.decode(c.io.at("w_trunc")), c.io.at("image")), 1e-4);
    EXPECT_THROW(net.decode(at::zeros({1, 39})), Error);
    // A missing tensor names the file and the tensor.
    auto partial = c.weights;
    partial.erase("b1.conv0.noise_strength");
    try {
        gan::GanImageNet bad(c.config, partial, "pkg/weights.safetensors", "cpu");
        FAIL() << "loaded without b1.conv0.noise_strength";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
        EXPECT_NE(std::string(e.what()).find("b1.conv0.noise_strength"), std::string::npos) << e.what();
    }
}

TEST(GanConfig, RejectsBadFieldsByName) {
    const nlohmann::json good = {{"image_size", 28}, {"channels", 1}, {"num_classes", 10}};
    EXPECT_EQ(gan::GanConfig::fromJson(good, "m.json").widths[0], 128);
    auto expectField = [](nlohmann::json j, const char* field) {
        try {
            gan::GanConfig::fromJson(j, "m.json");
            ADD_FAILURE() << "accepted " << j.dump();
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
            EXPECT_NE(std::string(e.what()).find(std::string("config.") + field), std::string::npos) << e.what();
        }
    };
    auto with = [&](const char* key, nlohmann::json value) {
        auto j = good;
        j[key] = std::move(value);
        return j;
    };
    expectField(with("image_size", 30), "image_size");
    expectField(with("channels", 2), "channels");
    expectField(with("z_dim", "64"), "z_dim");
    expectField(with("widths", {128, 64}), "widths");
    expectField(with("num_classes", -1), "num_classes");
    expectField(nlohmann::json{{"channels", 1}}, "image_size");
}

// ---- training --------------------------------------------------------------

namespace {

gan::GanConfig smallConfig() {
    gan::GanConfig c;
    c.imageSize = 16;
    c.channels = 1;
    c.zDim = 16;
    c.wDim = 24;
    c.numClasses = 3;
    c.widths = {16, 8, 8};
    return c;
}

// Fixed training data: bright squares whose size depends on the class.
std::pair<at::Tensor, at::Tensor> toyBatch(std::int64_t n) {
    at::Tensor images = at::zeros({n, 1, 16, 16});
    at::Tensor labels = at::arange(n, at::kLong) % 3;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t r = 2 + 2 * labels[i].item<std::int64_t>();
        images[i].narrow(1, 8 - r, 2 * r).narrow(2, 8 - r, 2 * r).fill_(1.0);
    }
    return {images, labels};
}

}  // namespace

// The count the loader checks before building must be the network's own.
TEST(GanConfig, ValueCountIsTheGeneratorsOwn) {
    gan::GanConfig conditional = smallConfig();
    gan::GanConfig plain = smallConfig();
    plain.numClasses = 0;
    plain.channels = 3;
    plain.mappingLayers = 2;
    for (const auto& c : {conditional, plain}) {
        gan::GanGenerator g(c);
        std::int64_t n = 0;
        for (const auto& [name, t] : latent::moduleWeights(*g)) n += t.numel();
        EXPECT_EQ(c.valueCount(), n) << c.toJson().dump();
    }
}

TEST(GanTraining, StepsRunResumeExactlyAndGiveLoadableWeights) {
    test::TempDir dir;
    gan::GanTrainOptions options;
    options.seed = 3;
    gan::GanTrainable a(smallConfig(), options);
    const auto [images, labels] = toyBatch(8);
    for (int step = 0; step < 3; ++step) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(100 + step);
        const auto losses = a.trainStep(images, labels, gen);
        ASSERT_EQ(losses.size(), 3u);
        for (const auto& [name, value] : losses) EXPECT_TRUE(std::isfinite(value)) << name;
        EXPECT_GT(losses.at("r1"), 0.0) << "R1 runs on the first step";
    }
    EXPECT_GT(a.latentMean().abs().sum().item<double>(), 0.0) << "w_avg tracks the mapping output";
    a.saveCheckpoint(dir.path() / "ckpt.pt");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "ckpt.pt.tmp"));

    // Another seed, then the checkpoint: the next step must equal the original's.
    options.seed = 4;
    gan::GanTrainable b(smallConfig(), options);
    b.loadCheckpoint(dir.path() / "ckpt.pt");
    EXPECT_EQ(b.steps(), 3);
    auto genA = at::make_generator<at::CPUGeneratorImpl>(7);
    auto genB = at::make_generator<at::CPUGeneratorImpl>(7);
    const auto la = a.trainStep(images, labels, genA);
    const auto lb = b.trainStep(images, labels, genB);
    for (const auto& [name, value] : la) EXPECT_NEAR(lb.at(name), value, 1e-5) << name;
    const auto wa = a.weights(), wb = b.weights();
    for (const auto& [name, t] : wa) EXPECT_LE(maxDiff(t, wb.at(name)), 1e-5) << name;

    // The weights are what the plugin loads, and decode like the trainer's generator.
    gan::GanImageNet net(smallConfig(), wa, "trained", "cpu");
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    const at::Tensor w = a.latentsFor({}, at::tensor({0, 1, 2, -1}, at::kLong), gen);
    ASSERT_EQ(w.sizes(), (std::vector<std::int64_t>{4, 24}));
    at::NoGradGuard noGrad;
    EXPECT_LE(maxDiff(net.decode(w), gan::GanGeneratorImpl::toUnit(a.generator()->synthesis(w))), 1e-5);

    const at::Tensor grid = a.sampleGrid(at::tensor({0, 1, 2, -1, -1}, at::kLong), gen);
    ASSERT_EQ(grid.sizes(), (std::vector<std::int64_t>{5, 1, 16, 16}));
    EXPECT_GE(grid.min().item<double>(), 0.0);
    EXPECT_LE(grid.max().item<double>(), 1.0);
    EXPECT_EQ(a.config()["num_classes"], 3);
    EXPECT_EQ(a.config()["widths"], nlohmann::json({16, 8, 8}));

    // A checkpoint of another architecture is refused by name, not half-loaded.
    auto other = smallConfig();
    other.wDim = 32;
    gan::GanTrainable c(other, options);
    try {
        c.loadCheckpoint(dir.path() / "ckpt.pt");
        FAIL() << "loaded a checkpoint of another config";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("config"), std::string::npos) << e.what();
    }
}

// ---- through the engine ----------------------------------------------------

namespace {

// Its packages hold the reference's "cond" weights; "gan-cond" is installed for every test.
struct GanEngine : test::ImageEngineFixture {
    GanEngine()
        : ImageEngineFixture({.id = "image-gan",
                              .label = "GAN test",
                              .weights = g_ref.dir() / "cond" / "weights.safetensors",
                              .defaults = {{"truncation", 0.7}},
                              .license = {}}) {}

    void SetUp() override {
        ImageEngineFixture::SetUp();
        writePackage("gan-cond", caseConfigJson("cond"));
    }

    std::vector<ImageFrame> sample(std::int64_t batch, std::int64_t cls, std::uint64_t seed) {
        const JobId job = submit("gan-cond", "image.sample", {{"batch", batch}, {"class", cls}}, seed);
        const auto end = sink->waitEnd(job);
        EXPECT_EQ(end.state, JobState::Finished) << end.message;
        return frames(job);
    }

    std::vector<ImageFrame> decode(const std::vector<float>& latents) {
        JobInputs in;
        in.latent = latents;
        const JobId job = submit("gan-cond", "image.decode", {}, 1, in);
        const auto end = sink->waitEnd(job);
        EXPECT_EQ(end.state, JobState::Finished) << end.message;
        return frames(job);
    }
};

// Mean squared difference of the gray channel, in [0, 1] units.
double frameMse(const ImageFrame& a, const ImageFrame& b) {
    double sum = 0;
    const std::size_t n = std::size_t(a.width) * std::size_t(a.height);
    for (std::size_t i = 0; i < n; ++i) {
        const double d = (double((*a.rgba)[i * 4]) - double((*b.rgba)[i * 4])) / 255.0;
        sum += d * d;
    }
    return sum / double(n);
}

}  // namespace

TEST_F(GanEngine, SampleOfAClassIsReproducibleAndCarriesItsW) {
    const auto a = sample(2, 3, 7);
    const auto b = sample(2, 3, 7);
    ASSERT_EQ(a.size(), 2u);
    ASSERT_EQ(b.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(a[i].width, 28);
        EXPECT_EQ(*a[i].rgba, *b[i].rgba) << "same seed, same bytes";
        ASSERT_TRUE(a[i].latent);
        EXPECT_EQ(a[i].latent->size(), 128u) << "frames carry w";
    }
    EXPECT_NE(*a[0].rgba, *a[1].rgba);
    EXPECT_NE(*sample(1, 3, 8)[0].rgba, *a[0].rgba) << "another seed, another image";

    // The latents are w = truncate(mapping(z, class), 0.7) of z drawn from the seed.
    const RefCase c = loadCase("cond");
    gan::GanGenerator g(c.config);
    loadModuleWeights(*g, c.weights, "cond");
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    at::NoGradGuard noGrad;
    const at::Tensor z = at::randn({2, 64}, gen, at::kFloat);
    const at::Tensor w = g->truncate(g->mapping(z, at::full({2}, 3, at::kLong)), 0.7);
    for (std::int64_t i = 0; i < 2; ++i) {
        const at::Tensor got = at::from_blob(const_cast<float*>(a[std::size_t(i)].latent->data()), {128}, at::kFloat);
        EXPECT_LE(maxDiff(got, w[i]), 1e-5);
    }
}

TEST_F(GanEngine, DecodingASampledWGivesTheSampleBytes) {
    const auto s = sample(2, 5, 21);
    ASSERT_EQ(s.size(), 2u);
    std::vector<float> latents(*s[0].latent);
    latents.insert(latents.end(), s[1].latent->begin(), s[1].latent->end());
    const auto d = decode(latents);
    ASSERT_EQ(d.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(*d[i].rgba, *s[i].rgba) << "image " << i;
}

TEST_F(GanEngine, ProjectionStreamsAndEndsCloserThanTheAverage) {
    const ImageFrame target = sample(1, 2, 5).at(0);
    const RefCase c = loadCase("cond");
    const at::Tensor wAvg = c.weights.at("w_avg").contiguous();
    const ImageFrame average = decode(std::vector<float>(wAvg.data_ptr<float>(), wAvg.data_ptr<float>() + 128)).at(0);

    JobInputs in;
    in.image = target;
    const JobId job = submit("gan-cond", "image.encode", {{"steps", std::int64_t(60)}}, 1, in);
    const auto end = sink->waitEnd(job, std::chrono::seconds(120));
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    const auto f = frames(job);
    ASSERT_GE(f.size(), 4u);
    int previews = 0;
    for (const auto& frame : f)
        if (!frame.final) {
            ++previews;
            EXPECT_LT(frame.step, frame.totalSteps);
            EXPECT_EQ(frame.totalSteps, 60);
        }
    EXPECT_GE(previews, 3) << "the projection streams its progress";
    const ImageFrame& result = f.back();
    ASSERT_TRUE(result.final);
    ASSERT_TRUE(result.latent);
    EXPECT_EQ(result.latent->size(), 128u);
    const double before = frameMse(average, target), after = frameMse(result, target);
    EXPECT_LT(after, before * 0.5) << "w_avg's image: " << before << ", projection: " << after;
}

TEST_F(GanEngine, CancellingAProjectionEndsPromptly) {
    JobInputs in;
    in.image = sample(1, 1, 3).at(0);
    const JobId job = submit("gan-cond", "image.encode", {{"steps", std::int64_t(2000)}}, 1, in);
    // Wait for the first preview: the projection is running.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (frames(job).empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_FALSE(frames(job).empty()) << "no preview frame arrived";
    const auto cancelled = std::chrono::steady_clock::now();
    engine->cancel(job);
    const auto end = sink->waitEnd(job, std::chrono::seconds(10));
    const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelled).count();
    EXPECT_EQ(end.state, JobState::Cancelled) << end.message;
    EXPECT_LT(took, 2.0);
    for (const auto& f : frames(job)) EXPECT_FALSE(f.final) << "no result after the cancel";
}

TEST_F(GanEngine, BadInputFailsWithAClearMessage) {
    auto end = run("gan-cond", "image.sample", {{"class", std::int64_t(10)}}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::BadArgument);
    EXPECT_NE(end.message.find("0-9"), std::string::npos) << end.message;

    JobInputs wrong;
    wrong.latent.assign(127, 0.5f);
    end = run("gan-cond", "image.decode", {}, 1, wrong);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("128"), std::string::npos) << end.message;

    // Truncated weights with a matching checksum: only loading can tell.
    writeTruncatedPackage("gan-truncated", caseConfigJson("cond"));
    end = run("gan-truncated", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("weights.safetensors"), std::string::npos) << end.message;

    // Weights of another architecture: the tensor at fault is named.
    auto config = caseConfigJson("cond");
    config["widths"] = {32, 16, 4};  // the reference's last width is 8
    writePackage("gan-mismatch", config);
    end = run("gan-mismatch", "image.sample", {}, 1);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("b2.conv0"), std::string::npos) << end.message;

    // A config bigger than its weights is refused before the generator is built.
    auto wide = caseConfigJson("cond");
    wide["widths"] = {4096, 4096, 4096};
    writePackage("gan-wide", wide);
    end = run("gan-wide", "image.sample", {}, 1);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("more than the"), std::string::npos) << end.message;

    config["image_size"] = 30;
    writePackage("gan-badconfig", config);
    end = run("gan-badconfig", "image.sample", {}, 1);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("config.image_size"), std::string::npos) << end.message;

    // The engine still serves the good model afterwards.
    EXPECT_EQ(sample(1, 0, 1).size(), 1u);
}
