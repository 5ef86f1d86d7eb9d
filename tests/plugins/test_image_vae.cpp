// image-vae: parity with the PyTorch reference (tests/reference/image_vae.py,
// run by Debian's python3-torch), the training side (a step matches PyTorch's
// loss, loss falls, checkpoints resume exactly), and the plugin through the
// engine: sample, decode, encode and the errors a broken package gives.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include "ImageFamilyTestSupport.h"
#include "VaeImageNet.h"
#include "VaeNet.h"
#include "VaeTrainable.h"
#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"

using namespace latent;
using latent::image::VaeConfig;
using latent::image::VaeNet;
using latent::image::VaeNetImpl;
using latent::image::VaeTrainable;
using latent::test::barImages;
using latent::test::FakeJobContext;
using latent::test::maxDiff;
using latent::test::readBytes;
using latent::test::readTensors;

namespace {

const test::ReferenceOutputs& g_ref = test::ReferenceOutputs::add("image_vae.py");

VaeConfig caseConfig(const std::string& name) {
    const auto path = g_ref.dir() / name / "config.json";
    return VaeConfig::fromJson(nlohmann::json::parse(readBytes(path)), path.string());
}

}  // namespace

// ---------------------------------------------------------------- parity

TEST(VaeParity, EncoderDecoderAndElboMatchPyTorch) {
    for (const std::string name : {"gray28", "rgb32"}) {
        SCOPED_TRACE(name);
        const VaeConfig config = caseConfig(name);
        VaeNet net(config);
        const auto weightsFile = g_ref.dir() / name / "weights.safetensors";
        loadModuleWeights(*net, readTensors(weightsFile), weightsFile.string());
        const auto io = readTensors(g_ref.dir() / name / "io.safetensors");
        image::VaeImageNet runtime(net, "cpu");

        at::NoGradGuard noGrad;
        const auto q = net->encode(io.at("x"));
        EXPECT_LE(maxDiff(q.mu, io.at("mu")), 1e-4);
        EXPECT_LE(maxDiff(q.logvar, io.at("logvar")), 1e-4);
        EXPECT_LE(maxDiff(runtime.decode(io.at("z")), io.at("image")), 1e-4);
        const at::Tensor elbo = runtime.scores(io.at("x")).at("elbo_nats");
        EXPECT_LE(maxDiff(elbo, io.at("elbo")), 1e-4) << elbo << io.at("elbo");
        // The reference's weights make every term vary: the test would notice a wrong one.
        EXPECT_GT(io.at("logvar").abs().max().item<double>(), 0.5);
        EXPECT_GT((io.at("image").max() - io.at("image").min()).item<double>(), 0.2);
    }
}

TEST(VaeParity, TrainingStepLossMatchesPyTorchAndMovesTheWeights) {
    for (const std::string name : {"gray28", "rgb32"}) {
        SCOPED_TRACE(name);
        const VaeConfig config = caseConfig(name);
        VaeTrainable trainable(config, "cpu", 1e-3);
        const auto weightsFile = g_ref.dir() / name / "weights.safetensors";
        loadModuleWeights(*trainable.net(), readTensors(weightsFile), weightsFile.string());
        const auto io = readTensors(g_ref.dir() / name / "io.safetensors");
        const auto before = trainable.weights();

        auto gen = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(io.at("train_seed").item<std::int64_t>()));
        const auto losses = trainable.trainStep(io.at("x"), at::full({io.at("x").size(0)}, -1, at::kLong), gen);
        // Sums of ~10^3 float terms: compare relative to their size.
        for (const auto& [key, ref] : {std::pair{"loss", "train_loss"}, {"recon", "train_recon"}, {"kl", "train_kl"}}) {
            const double expected = io.at(ref).item<double>();
            EXPECT_NEAR(losses.at(key), expected, 1e-5 * std::abs(expected) + 1e-5) << key;
        }
        const auto after = trainable.weights();
        ASSERT_EQ(after.size(), before.size());
        for (const auto& [n, t] : after) EXPECT_GT(maxDiff(t, before.at(n)), 0.0) << n << " did not change";
    }
}

// The count the loader checks before building must be the network's own.
TEST(VaeConfigJson, ValueCountIsTheNetworksOwn) {
    for (const auto& [size, channels, latent, width] :
         std::vector<std::array<int, 4>>{{28, 1, 8, 8}, {32, 3, 16, 12}, {8, 1, 3, 5}}) {
        VaeConfig c;
        c.imageSize = size;
        c.channels = channels;
        c.latentDim = latent;
        c.width = width;
        VaeNet net(c);
        std::int64_t n = 0;
        for (const auto& [name, t] : latent::moduleWeights(*net)) n += t.numel();
        EXPECT_EQ(c.valueCount(), n) << size << " " << channels << " " << latent << " " << width;
    }
}

TEST(VaeConfigJson, MissingOrBadFieldsAreNamed) {
    const nlohmann::json good = {{"image_size", 28}, {"channels", 1}, {"latent_dim", 16}, {"width", 8}};
    EXPECT_EQ(VaeConfig::fromJson(good, "m.json").latentDim, 16);
    EXPECT_EQ(VaeConfig::fromJson(good, "m.json").beta, 1.0);
    auto expectField = [](nlohmann::json c, const std::string& field) {
        try {
            VaeConfig::fromJson(c, "m.json");
            ADD_FAILURE() << "accepted " << c.dump();
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
            EXPECT_NE(std::string(e.what()).find("config." + field), std::string::npos) << e.what();
        }
    };
    for (const char* field : {"image_size", "channels", "latent_dim", "width"}) {
        auto c = good;
        c.erase(field);
        expectField(c, field);
    }
    auto c = good;
    c["image_size"] = 30;
    expectField(c, "image_size");
    c = good;
    c["channels"] = 2;
    expectField(c, "channels");
    c = good;
    c["latent_dim"] = "16";
    expectField(c, "latent_dim");
    c = good;
    c["beta"] = -1;
    expectField(c, "beta");

    VaeConfig odd;
    odd.imageSize = 30;
    odd.channels = 1;
    try {
        odd.validate();
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("multiple of 4"), std::string::npos) << e.what();
    }
}

// ---------------------------------------------------------------- training side

TEST(VaeTraining, LossFallsCheckpointResumesExactlyAndEvaluateIsSeeded) {
    at::manual_seed(3);
    VaeConfig config;
    config.imageSize = 8;
    config.channels = 1;
    config.latentDim = 4;
    config.width = 8;
    VaeTrainable a(config, "cpu", 3e-3);
    const at::Tensor data = barImages(64, 5);
    const at::Tensor x = image::toUnitRange(data);
    const at::Tensor labels = at::full({64}, -1, at::kLong);

    std::vector<double> losses;
    for (int step = 0; step < 60; ++step) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(100 + step));
        const auto l = a.trainStep(x, labels, gen);
        EXPECT_NEAR(l.at("loss"), l.at("recon") + config.beta * l.at("kl"), 1e-3);
        losses.push_back(l.at("loss"));
    }
    const double first = (losses[0] + losses[1] + losses[2]) / 3, last = (losses[57] + losses[58] + losses[59]) / 3;
    EXPECT_LT(last, 0.8 * first) << "first " << first << " last " << last;

    test::TempDir dir;
    const auto file = dir.path() / "checkpoint.pt";
    a.saveCheckpoint(file);
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));

    at::manual_seed(99);  // other initial weights: the checkpoint must replace them all
    VaeTrainable b(config, "cpu", 3e-3);
    b.loadCheckpoint(file);
    for (const auto& [n, t] : a.weights()) EXPECT_EQ(maxDiff(t, b.weights().at(n)), 0.0) << n;
    // The optimiser state came along too: the next step is the same on both.
    auto genA = at::make_generator<at::CPUGeneratorImpl>(uint64_t(7));
    auto genB = at::make_generator<at::CPUGeneratorImpl>(uint64_t(7));
    EXPECT_EQ(a.trainStep(x, labels, genA).at("loss"), b.trainStep(x, labels, genB).at("loss"));
    for (const auto& [n, t] : a.weights()) EXPECT_EQ(maxDiff(t, b.weights().at(n)), 0.0) << n;

    VaeConfig other = config;
    other.latentDim = 5;
    VaeTrainable c(other, "cpu", 3e-3);
    try {
        c.loadCheckpoint(file);
        ADD_FAILURE() << "loaded a checkpoint of another config";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("latent_dim"), std::string::npos) << e.what();
    }

    // The package's weights load into a fresh net under the loader's names.
    VaeNet loaded(config);
    loadModuleWeights(*loaded, a.weights(), "trained");
    EXPECT_EQ(a.parameterCount(), [&] {
        std::int64_t n = 0;
        for (const auto& [name, t] : a.weights()) n += t.numel();
        return n;
    }());

    image::ImageDataset test;
    test.name = "bars/test";
    test.images = barImages(300, 6);  // more than one evaluation batch
    FakeJobContext ctx;
    const auto m1 = a.evaluate(test, test, ctx);
    const auto m2 = a.evaluate(test, test, ctx);
    EXPECT_EQ(m1.at("test_elbo_nats"), m2.at("test_elbo_nats")) << "seeded: the same weights, the same number";
    EXPECT_NEAR(m1.at("test_elbo_nats"), -(m1.at("test_recon_nats") + m1.at("test_kl_nats")), 1e-6);
    EXPECT_LT(m1.at("test_elbo_nats"), 0.0);
    EXPECT_GE(m1.at("test_kl_nats"), 0.0);
    ctx.stop = true;
    try {
        a.evaluate(test, test, ctx);
        ADD_FAILURE() << "evaluate ignored the stop flag";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
    }

    // Latents for sliders are the posterior means, and the grid is in [0, 1].
    auto gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t(1));
    const at::Tensor mu = a.latentsFor(x.narrow(0, 0, 5), labels.narrow(0, 0, 5), gen);
    {
        at::NoGradGuard noGrad;
        EXPECT_EQ(maxDiff(mu, a.net()->encode(x.narrow(0, 0, 5)).mu), 0.0);
    }
    const at::Tensor grid = a.sampleGrid(at::full({6}, -1, at::kLong), gen);
    EXPECT_TRUE(grid.sizes().equals({6, 1, 8, 8}));
    EXPECT_GE(grid.min().item<double>(), 0.0);
    EXPECT_LE(grid.max().item<double>(), 1.0);
}

// ---------------------------------------------------------------- through the engine

namespace {

// Its packages hold the reference's gray28 weights.
struct VaeEngine : test::ImageEngineFixture {
    VaeEngine()
        : ImageEngineFixture(
              {.id = "image-vae", .label = "VAE", .weights = g_ref.dir() / "gray28" / "weights.safetensors"}) {}
};

}  // namespace

TEST_F(VaeEngine, SampleDecodeAndEncode) {
    const VaeConfig config = caseConfig("gray28");
    writePackage("vae-gray", config.toJson());
    const auto io = readTensors(g_ref.dir() / "gray28" / "io.safetensors");

    // image.sample: the same seed gives the same bytes; frames carry latent and score.
    JobId a = 0, b = 0, cold = 0;
    auto end = run("vae-gray", "image.sample", {{"batch", std::int64_t(3)}}, 42, {}, &a);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    EXPECT_EQ(end.provenance.pluginId, "image-vae");
    ASSERT_EQ(run("vae-gray", "image.sample", {{"batch", std::int64_t(3)}}, 42, {}, &b).state, JobState::Finished);
    const auto fa = frames(a), fb = frames(b);
    ASSERT_EQ(fa.size(), 3u);
    ASSERT_EQ(fb.size(), 3u);
    for (std::size_t i = 0; i < fa.size(); ++i) {
        EXPECT_EQ(fa[i].width, 28);
        EXPECT_EQ(fa[i].height, 28);
        EXPECT_EQ(*fa[i].rgba, *fb[i].rgba);
        ASSERT_TRUE(fa[i].latent);
        EXPECT_EQ(fa[i].latent->size(), 8u);
        ASSERT_TRUE(fa[i].scores.count("elbo_nats"));
        EXPECT_TRUE(std::isfinite(fa[i].scores.at("elbo_nats")));
        EXPECT_LT(fa[i].scores.at("elbo_nats"), 0.0);
    }
    EXPECT_NE(*fa[0].latent, *fa[1].latent);
    // Temperature scales the prior draw of the same seed.
    ASSERT_EQ(run("vae-gray", "image.sample", {{"batch", std::int64_t(3)}, {"temperature", 0.5}}, 42, {}, &cold).state,
              JobState::Finished);
    const auto fc = frames(cold);
    ASSERT_EQ(fc.size(), 3u);
    for (std::size_t d = 0; d < 8; ++d) EXPECT_FLOAT_EQ((*fc[1].latent)[d], 0.5f * (*fa[1].latent)[d]);

    // image.decode: the reference's three latents -> its three images (8-bit).
    JobInputs in;
    const at::Tensor z = io.at("z").contiguous();
    in.latent.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
    JobId dec = 0;
    end = run("vae-gray", "image.decode", {}, 1, in, &dec);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    const auto fd = frames(dec);
    ASSERT_EQ(fd.size(), 3u);
    const at::Tensor expected = (io.at("image") * 255).round().to(at::kInt);  // [3, 1, 28, 28]
    int worst = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        ASSERT_EQ(fd[i].latent->size(), 8u);
        EXPECT_EQ((*fd[i].latent)[0], z[std::int64_t(i)][0].item<float>());
        for (int px = 0; px < 28 * 28; ++px) {
            const int got = (*fd[i].rgba)[std::size_t(px) * 4];
            worst = std::max(worst, std::abs(got - expected[std::int64_t(i)][0][px / 28][px % 28].item<int>()));
        }
    }
    EXPECT_LE(worst, 1) << "decoded pixels differ from PyTorch's";

    // image.encode of a 40×30 RGBA image: resized by the model, one frame with its latent.
    std::vector<std::uint8_t> rgba(40 * 30 * 4);
    for (std::size_t i = 0; i < rgba.size(); ++i) rgba[i] = std::uint8_t(i % 4 == 3 ? 255 : (i * 7) % 256);
    JobInputs enc;
    enc.image = makeImageFrame(40, 30, rgba);
    JobId encJob = 0;
    end = run("vae-gray", "image.encode", {}, 1, enc, &encJob);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    const auto fe = frames(encJob);
    ASSERT_FALSE(fe.empty());
    EXPECT_TRUE(fe.back().final);
    EXPECT_EQ(fe.back().width, 28);
    ASSERT_TRUE(fe.back().latent);
    EXPECT_EQ(fe.back().latent->size(), 8u);
    EXPECT_TRUE(fe.back().scores.count("elbo_nats"));
}

TEST_F(VaeEngine, BadInputsAndBrokenPackagesFailClearly) {
    const VaeConfig config = caseConfig("gray28");
    writePackage("vae-gray", config.toJson());

    JobInputs wrong;
    wrong.latent.assign(11, 0.1f);
    auto end = run("vae-gray", "image.decode", {}, 1, wrong);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::BadArgument);
    EXPECT_NE(end.message.find("takes 8 per image"), std::string::npos) << end.message;

    // Truncated weights with a manifest that matches them: only loading can tell.
    writeTruncatedPackage("vae-cut", config.toJson());
    end = run("vae-cut", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::Format) << end.message;
    EXPECT_NE(end.message.find("weights.safetensors"), std::string::npos) << end.message;

    // Truncated behind the manifest's back: the registry's check catches it.
    ModelPackage cut2 = writePackage("vae-cut2", config.toJson());
    std::filesystem::resize_file(cut2.dir / "weights.safetensors", 100);
    end = run("vae-cut2", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("weights.safetensors"), std::string::npos) << end.message;

    auto noLatent = config.toJson();
    noLatent.erase("latent_dim");
    writePackage("vae-nolatent", noLatent);
    end = run("vae-nolatent", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("config.latent_dim"), std::string::npos) << end.message;

    // A config that disagrees with the weights: the loader names the tensor and both shapes.
    auto narrower = config.toJson();
    narrower["width"] = config.width / 2;
    writePackage("vae-narrower", narrower);
    end = run("vae-narrower", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    const std::string w = std::to_string(config.width);
    EXPECT_NE(end.message.find("tensor 'dec1.bias' has shape [" + std::to_string(2 * config.width) +
                               "], the model expects [" + w + "]"),
              std::string::npos)
        << end.message;

    // A config bigger than its weights is refused before the network is
    // built: a typo must not allocate gigabytes first.
    auto huge = config.toJson();
    huge["image_size"] = 1024;
    huge["width"] = 1024;
    huge["latent_dim"] = 4096;
    writePackage("vae-huge", huge);
    end = run("vae-huge", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("more than the"), std::string::npos) << end.message;

    // The engine is still serving after all of that.
    EXPECT_EQ(run("vae-gray", "image.sample", {}, 1).state, JobState::Finished);
}
