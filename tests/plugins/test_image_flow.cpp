// image-flow: parity with the PyTorch reference (tests/reference/image_flow.py,
// run by Debian's python3-torch), exact invertibility, the log-determinant
// against a brute-force Jacobian, the training side (loss falls, actnorm
// initialises from data, checkpoints resume exactly), and the plugin through
// the engine: sample, decode, encode and the errors a broken package gives.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/autograd.h>

#include "FlowImageNet.h"
#include "FlowTrainable.h"
#include "GlowNet.h"
#include "ImageFamilyTestSupport.h"
#include "latent/Error.h"
#include "latent/plugin/torch/ModuleWeights.h"

using namespace latent;
using latent::flow::FlowImageNet;
using latent::flow::FlowTrainable;
using latent::flow::GlowConfig;
using latent::flow::GlowNet;
using latent::test::barImages;
using latent::test::FakeJobContext;
using latent::test::maxDiff;
using latent::test::readTensors;

namespace {

const test::ReferenceOutputs& g_ref = test::ReferenceOutputs::add("image_flow.py");

GlowConfig makeConfig(int size, int channels, int levels, int steps, int hidden) {
    GlowConfig c;
    c.imageSize = size;
    c.channels = channels;
    c.levels = levels;
    c.stepsPerLevel = steps;
    c.hidden = hidden;
    return c;
}

// The reference's cases (tests/reference/image_flow.py writes the same).
GlowConfig caseConfig(const std::string& name) {
    return name == "mnist" ? makeConfig(28, 1, 2, 2, 16) : makeConfig(8, 3, 3, 1, 8);
}

nlohmann::json configJson(const GlowConfig& c) {
    return {{"image_size", c.imageSize},
            {"channels", c.channels},
            {"levels", c.levels},
            {"steps_per_level", c.stepsPerLevel},
            {"hidden", c.hidden}};
}

// Random values for everything training starts at zero or identity (zero
// convs, actnorm, the 1x1 convs' scales), so every layer changes the output.
void randomise(GlowNet& net, std::uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    net->resetParameters(gen);
    at::NoGradGuard noGrad;
    for (auto& p : net->named_parameters()) {
        const std::string& name = p.key();
        auto t = p.value();
        const auto noise = at::randn(t.sizes(), gen, at::kFloat).to(t.scalar_type());
        if (name.find("actnorm.") != std::string::npos || name.find(".logs") != std::string::npos)
            t.add_(noise * 0.1);
        else if (name.find("zero.conv") != std::string::npos || name.find("prior.conv") != std::string::npos)
            t.add_(noise * 0.02);
        else if (name.find("log_s") != std::string::npos)
            t.add_(noise * 0.1);
    }
    for (auto& b : net->named_buffers())
        if (b.key().find("initialized") != std::string::npos) b.value().fill_(1);
}

}  // namespace

// ---------------------------------------------------------------- parity

TEST(FlowParity, LatentLogDensityBitsPerDimAndInverseMatchPyTorch) {
    for (const std::string name : {"mnist", "rgb"}) {
        SCOPED_TRACE(name);
        const GlowConfig config = caseConfig(name);
        const auto weightsFile = g_ref.dir() / name / "weights.safetensors";
        GlowNet net(config);
        loadModuleWeights(*net, readTensors(weightsFile), weightsFile.string());
        net->eval();
        FlowImageNet runtime(config, weightsFile, "cpu");
        const auto io = readTensors(g_ref.dir() / name / "io.safetensors");
        at::NoGradGuard noGrad;
        const auto out = net->forward(flow::dequantizeImages(io.at("images")));
        EXPECT_LE(maxDiff(out.eps, io.at("eps")), 1e-4);
        EXPECT_LE(maxDiff(out.z, io.at("z")), 1e-4);
        // Summed in the reference's order (same libtorch underneath), so even these sums of ~10^3 terms agree.
        EXPECT_LE(maxDiff(out.logdet, io.at("logdet")), 1e-4) << out.logdet << io.at("logdet");
        EXPECT_LE(maxDiff(out.logp, io.at("logp")), 1e-4) << out.logp << io.at("logp");
        EXPECT_LE(maxDiff(runtime.scores(io.at("images")).at("bits_per_dim"), io.at("bpd")), 1e-4);
        FakeJobContext ctx;
        EXPECT_LE(maxDiff(runtime.encode(io.at("images"), ctx, {}), io.at("eps")), 1e-4);

        // The inverse, uncached (training path) and with the loaded model's cached W^-1.
        EXPECT_LE(maxDiff(net->reverse(io.at("eps")), io.at("y_back")), 1e-4);
        EXPECT_LE(maxDiff(net->reverse(io.at("latents")), io.at("y_decoded")), 1e-4);
        EXPECT_LE(maxDiff(runtime.decode(io.at("latents")), (io.at("y_decoded") + 0.5).clamp(0, 1)), 1e-4);

        // The reference's weights make every part matter: a missing term would show.
        EXPECT_GT(io.at("logdet").abs().min().item<double>(), 1.0);
        EXPECT_GT((io.at("eps") - io.at("z")).abs().max().item<double>(), 0.05) << "the split priors matter";
        EXPECT_GT((io.at("y_decoded") - io.at("latents").view(io.at("y_decoded").sizes())).abs().max().item<double>(),
                  0.1);
    }
}

// ---------------------------------------------------------------- invertibility, log-det

// The count the loader checks before building must be the network's own.
TEST(FlowConfig, ValueCountIsTheNetworksOwn) {
    for (const auto& config : {makeConfig(28, 1, 2, 2, 16), makeConfig(8, 3, 3, 1, 8), makeConfig(4, 1, 1, 2, 8)}) {
        SCOPED_TRACE(configJson(config).dump());
        GlowNet net(config);
        std::int64_t n = 0;
        for (const auto& [name, t] : latent::moduleWeights(*net)) n += t.numel();
        EXPECT_EQ(config.valueCount(), n);
    }
}

TEST(FlowInverse, ReverseUndoesForwardOnRandomInputs) {
    for (const auto& config : {makeConfig(28, 1, 2, 2, 16), makeConfig(8, 3, 3, 1, 8), makeConfig(16, 3, 2, 3, 32),
                               makeConfig(4, 1, 1, 2, 8)}) {
        SCOPED_TRACE(configJson(config).dump());
        GlowNet net(config);
        randomise(net, 5);
        net->eval();
        at::NoGradGuard noGrad;
        auto gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t(9));
        const auto y = at::rand({4, config.channels, config.imageSize, config.imageSize}, gen, at::kFloat) - 0.5;
        const auto out = net->forward(y);
        EXPECT_TRUE(out.eps.sizes().equals({4, config.dim()}));
        EXPECT_LE(maxDiff(net->reverse(out.eps), y), 1e-4);
        const auto eps = at::randn({4, config.dim()}, gen, at::kFloat);
        EXPECT_LE(maxDiff(net->forward(net->reverse(eps)).eps, eps), 1e-4);
    }
}

TEST(FlowInverse, CachedInverseIsDroppedWhenTrainingResumes) {
    GlowNet net(makeConfig(8, 3, 2, 2, 8));
    randomise(net, 3);
    at::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t(4));
    const auto eps = at::randn({2, 192}, gen, at::kFloat);
    net->freezeForInference();
    const auto frozen = net->reverse(eps);
    net->train();  // a training step would follow and change the weights
    for (auto& p : net->named_parameters())
        if (p.key().find("log_s") != std::string::npos) p.value().add_(0.3);
    net->eval();
    const auto after = net->reverse(eps);
    EXPECT_GT(maxDiff(after, frozen), 1e-3);
    EXPECT_LE(maxDiff(net->forward(after).eps, eps), 1e-4) << "reverse used a stale W^-1";
}

TEST(FlowLogDet, EqualsBruteForceJacobianInFloat64) {
    for (int levels : {1, 2}) {
        SCOPED_TRACE("levels " + std::to_string(levels));
        const GlowConfig config = makeConfig(4, 1, levels, 2, 8);
        GlowNet net(config);
        randomise(net, 17 + std::uint64_t(levels));
        net->to(at::kDouble);
        net->eval();
        auto gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t(23));
        const auto y = (at::rand({1, 1, 4, 4}, gen, at::kDouble) - 0.5).requires_grad_(true);
        const auto out = net->forward(y);
        const std::int64_t d = config.dim();
        // Row i of dz/dy and of deps/dy by reverse-mode autograd, one output at a time.
        at::Tensor jz = at::zeros({d, d}, at::kDouble), jeps = at::zeros({d, d}, at::kDouble);
        for (std::int64_t i = 0; i < d; ++i) {
            jz[i] = torch::autograd::grad({out.z[0][i]}, {y}, {}, true)[0].reshape({d});
            jeps[i] = torch::autograd::grad({out.eps[0][i]}, {y}, {}, true)[0].reshape({d});
        }
        const double logdet = std::get<1>(at::linalg_slogdet(jz)).item<double>();
        EXPECT_NEAR(out.logdet.item<double>(), logdet, 1e-6);
        // The whole density by change of variables y -> eps ~ N(0, I): checks the priors' -sum(logs) too.
        const double logDensity = (-0.5 * (out.eps * out.eps + std::log(2 * std::numbers::pi))).sum().item<double>() +
                                  std::get<1>(at::linalg_slogdet(jeps)).item<double>();
        EXPECT_NEAR(out.logp.item<double>(), logDensity, 1e-6);
        EXPECT_GT(std::abs(logdet), 0.1) << "a trivial Jacobian would prove nothing";
    }
}

// ---------------------------------------------------------------- training side

TEST(FlowTraining, LossFallsActNormInitialisesCheckpointResumesAndEvaluateIsSeeded) {
    const GlowConfig config = makeConfig(8, 1, 2, 2, 16);
    FlowTrainable a(config, "cpu", 3e-3, 1);
    const at::Tensor x = image::toUnitRange(barImages(64, 5));
    const at::Tensor labels = at::full({64}, -1, at::kLong);

    std::vector<double> losses;
    for (int step = 0; step < 120; ++step) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(100 + step));
        losses.push_back(a.trainStep(x, labels, gen).at("bits_per_dim"));
        if (step == 0) {
            for (const auto& b : a.net()->named_buffers())
                if (b.key().find("initialized") != std::string::npos) {
                    EXPECT_TRUE(b.value().is_nonzero()) << b.key() << " not initialised by the first batch";
                }
        }
    }
    const double first = (losses[0] + losses[1] + losses[2]) / 3,
                 last = (losses[117] + losses[118] + losses[119]) / 3;
    EXPECT_LT(last, first - 1.0) << "first " << first << " last " << last;
    EXPECT_TRUE(std::isfinite(last));

    test::TempDir dir;
    const auto file = dir.path() / "checkpoint.pt";
    a.saveCheckpoint(file);
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));

    FlowTrainable b(config, "cpu", 3e-3, 2);  // other initial weights: the checkpoint must replace them all
    b.loadCheckpoint(file);
    EXPECT_EQ(b.stepsDone(), a.stepsDone());
    for (const auto& [n, t] : a.weights()) EXPECT_EQ(maxDiff(t, b.weights().at(n)), 0.0) << n;
    // The optimiser state came along too: the next step is the same on both.
    auto genA = at::make_generator<at::CPUGeneratorImpl>(uint64_t(7));
    auto genB = at::make_generator<at::CPUGeneratorImpl>(uint64_t(7));
    EXPECT_EQ(a.trainStep(x, labels, genA).at("bits_per_dim"), b.trainStep(x, labels, genB).at("bits_per_dim"));
    for (const auto& [n, t] : a.weights()) EXPECT_EQ(maxDiff(t, b.weights().at(n)), 0.0) << n;

    FlowTrainable c(makeConfig(8, 1, 2, 3, 16), "cpu", 3e-3, 1);
    try {
        c.loadCheckpoint(file);
        ADD_FAILURE() << "loaded a checkpoint of another config";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("steps_per_level"), std::string::npos) << e.what();
    }

    // The package's weights load into the runtime under the loader's names and score like the trainer.
    const auto weightsFile = dir.path() / "weights.safetensors";
    saveSafetensorsTensors(weightsFile, a.weights());
    FlowImageNet runtime(config, weightsFile, "cpu");
    std::int64_t count = 0;
    for (const auto& p : a.net()->parameters()) count += p.numel();
    EXPECT_EQ(a.net()->parameterCount(), count);

    image::ImageDataset test;
    test.name = "bars/test";
    test.images = barImages(300, 6);  // more than one evaluation batch
    FakeJobContext ctx;
    const auto m1 = a.evaluate(test, test, ctx);
    const auto m2 = a.evaluate(test, test, ctx);
    EXPECT_EQ(m1.at("test_bits_per_dim"), m2.at("test_bits_per_dim")) << "seeded: the same weights, the same number";
    const double midpoint = runtime.scores(image::toUnitRange(test.images)).at("bits_per_dim").mean().item<double>();
    EXPECT_NEAR(m1.at("test_bits_per_dim_midpoint"), midpoint, 1e-4);
    EXPECT_GT(m1.at("test_bits_per_dim"), 0.0);
    EXPECT_LT(m1.at("test_bits_per_dim"), last + 1.0) << "held-out bars score like the training bars";
    ctx.stop = true;
    try {
        a.evaluate(test, test, ctx);
        ADD_FAILURE() << "evaluate ignored the stop flag";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
    }

    // Slider latents are the images' eps, and the grid is in [0, 1].
    auto gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t(1));
    FakeJobContext encodeCtx;
    EXPECT_LE(maxDiff(a.latentsFor(x.narrow(0, 0, 5), labels.narrow(0, 0, 5), gen),
                      runtime.encode(x.narrow(0, 0, 5), encodeCtx, {})),
              1e-5);
    const at::Tensor grid = a.sampleGrid(at::full({6}, -1, at::kLong), gen);
    EXPECT_TRUE(grid.sizes().equals({6, 1, 8, 8}));
    EXPECT_GE(grid.min().item<double>(), 0.0);
    EXPECT_LE(grid.max().item<double>(), 1.0);
    EXPECT_TRUE(a.net()->is_training()) << "the grid put the net back into training mode";
}

TEST(FlowTraining, ConfigProblemsNameTheField) {
    EXPECT_TRUE(makeConfig(28, 1, 2, 8, 128).problem().empty());
    EXPECT_NE(makeConfig(28, 1, 3, 8, 128).problem().find("image_size 28 is not divisible by 2^levels = 8"),
              std::string::npos);
    EXPECT_NE(makeConfig(28, 5, 2, 8, 128).problem().find("channels"), std::string::npos);
    EXPECT_NE(makeConfig(28, 1, 0, 8, 128).problem().find("levels"), std::string::npos);
    EXPECT_THROW(GlowNet(makeConfig(30, 1, 2, 1, 8)), Error);
}

// ---------------------------------------------------------------- through the engine

namespace {

// Its packages hold the reference's rgb weights.
struct FlowEngine : test::ImageEngineFixture {
    FlowEngine()
        : ImageEngineFixture(
              {.id = "image-flow", .label = "Flow", .weights = g_ref.dir() / "rgb" / "weights.safetensors"}) {}
};

// Largest difference, in 8-bit steps, between a frame's RGB and an image [3, S, S] in [0, 1].
int worstPixel(const ImageFrame& f, const at::Tensor& image) {
    const at::Tensor expected = (image * 255).round().to(at::kInt);
    int worst = 0;
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                const int got = (*f.rgba)[(std::size_t(y) * std::size_t(f.width) + std::size_t(x)) * 4 + std::size_t(ch)];
                worst = std::max(worst, std::abs(got - expected[ch][y][x].item<int>()));
            }
    return worst;
}

}  // namespace

TEST_F(FlowEngine, SampleDecodeAndEncode) {
    const GlowConfig config = caseConfig("rgb");
    const std::size_t dim = std::size_t(config.dim());
    writePackage("flow-rgb", configJson(config));
    const auto io = readTensors(g_ref.dir() / "rgb" / "io.safetensors");

    // image.sample: the same seed gives the same bytes; frames carry latent and bits/dim.
    JobId a = 0, b = 0, cold = 0;
    auto end = run("flow-rgb", "image.sample", {{"batch", std::int64_t(3)}}, 42, {}, &a);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    EXPECT_EQ(end.provenance.pluginId, "image-flow");
    ASSERT_EQ(run("flow-rgb", "image.sample", {{"batch", std::int64_t(3)}}, 42, {}, &b).state, JobState::Finished);
    const auto fa = frames(a), fb = frames(b);
    ASSERT_EQ(fa.size(), 3u);
    ASSERT_EQ(fb.size(), 3u);
    for (std::size_t i = 0; i < fa.size(); ++i) {
        EXPECT_EQ(fa[i].width, 8);
        EXPECT_EQ(fa[i].height, 8);
        EXPECT_EQ(*fa[i].rgba, *fb[i].rgba);
        ASSERT_TRUE(fa[i].latent);
        EXPECT_EQ(fa[i].latent->size(), dim);
        ASSERT_TRUE(fa[i].scores.count("bits_per_dim"));
        EXPECT_TRUE(std::isfinite(fa[i].scores.at("bits_per_dim")));
        EXPECT_GT(fa[i].scores.at("bits_per_dim"), 0.0);
    }
    EXPECT_NE(*fa[0].latent, *fa[1].latent);
    // The default temperature is 0.7; 0.35 halves the same seed's draw.
    ASSERT_EQ(run("flow-rgb", "image.sample", {{"batch", std::int64_t(3)}, {"temperature", 0.35}}, 42, {}, &cold).state,
              JobState::Finished);
    const auto fc = frames(cold);
    ASSERT_EQ(fc.size(), 3u);
    for (std::size_t d = 0; d < dim; d += 17) EXPECT_NEAR((*fc[1].latent)[d], 0.5f * (*fa[1].latent)[d], 1e-6);

    // image.decode: the reference's three latents -> its three images (8-bit).
    JobInputs in;
    const at::Tensor latents = io.at("latents").contiguous();
    in.latent.assign(latents.data_ptr<float>(), latents.data_ptr<float>() + latents.numel());
    JobId dec = 0;
    end = run("flow-rgb", "image.decode", {}, 1, in, &dec);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    const auto fd = frames(dec);
    ASSERT_EQ(fd.size(), 3u);
    const at::Tensor expected = (io.at("y_decoded") + 0.5).clamp(0, 1);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ((*fd[i].latent)[5], latents[std::int64_t(i)][5].item<float>());
        EXPECT_LE(worstPixel(fd[i], expected[std::int64_t(i)]), 1) << "decoded pixels differ from PyTorch's";
    }

    // image.encode of a 16×16 image, each pixel of a random 8×8 one doubled:
    // the model's resize gives back the 8×8 image, whose eps the job returns.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t(31));
    const at::Tensor small = at::randint(0, 256, {3, 8, 8}, gen, at::kLong).to(at::kFloat) / 255;
    const at::Tensor big = small.repeat_interleave(2, 1).repeat_interleave(2, 2);
    std::vector<std::uint8_t> rgba(16 * 16 * 4, 255);
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x)
            for (int ch = 0; ch < 3; ++ch)
                rgba[(std::size_t(y) * 16 + std::size_t(x)) * 4 + std::size_t(ch)] =
                    std::uint8_t(std::lround(big[ch][y][x].item<double>() * 255));
    JobInputs enc;
    enc.image = makeImageFrame(16, 16, rgba);
    JobId encJob = 0;
    end = run("flow-rgb", "image.encode", {}, 1, enc, &encJob);
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    const auto fe = frames(encJob);
    ASSERT_EQ(fe.size(), 1u) << "the flow encodes in one exact step";
    EXPECT_TRUE(fe.back().final);
    EXPECT_EQ(fe.back().width, 8);
    ASSERT_TRUE(fe.back().latent);
    ASSERT_EQ(fe.back().latent->size(), dim);
    FlowImageNet local(config, g_ref.dir() / "rgb" / "weights.safetensors", "cpu");
    FakeJobContext ctx;
    const at::Tensor eps = local.encode(small.unsqueeze(0), ctx, {});
    const at::Tensor got = at::from_blob(const_cast<float*>(fe.back().latent->data()), {1, std::int64_t(dim)}, at::kFloat);
    EXPECT_LE(maxDiff(got, eps), 1e-4);
    EXPECT_NEAR(fe.back().scores.at("bits_per_dim"), local.scores(small.unsqueeze(0)).at("bits_per_dim").item<double>(),
                1e-4);
    EXPECT_LE(worstPixel(fe.back(), small), 1) << "the reconstruction is the (resized) input";
    // ...and decoding that latent as a separate job reproduces the image within 1/255.
    JobInputs back;
    back.latent = *fe.back().latent;
    JobId decBack = 0;
    ASSERT_EQ(run("flow-rgb", "image.decode", {}, 1, back, &decBack).state, JobState::Finished);
    ASSERT_EQ(frames(decBack).size(), 1u);
    EXPECT_LE(worstPixel(frames(decBack)[0], small), 1);
}

TEST_F(FlowEngine, BadInputsAndBrokenPackagesFailClearly) {
    const GlowConfig config = caseConfig("rgb");
    writePackage("flow-rgb", configJson(config));

    JobInputs wrong;
    wrong.latent.assign(191, 0.1f);
    auto end = run("flow-rgb", "image.decode", {}, 1, wrong);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::BadArgument);
    EXPECT_NE(end.message.find("takes 192 per image"), std::string::npos) << end.message;

    // Truncated weights with a manifest that matches them: only loading can tell.
    writeTruncatedPackage("flow-cut", configJson(config));
    end = run("flow-cut", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::Format) << end.message;
    EXPECT_NE(end.message.find("weights.safetensors"), std::string::npos) << end.message;

    // 12 is not divisible by 2^3: refused before any weight is read.
    auto odd = configJson(config);
    odd["image_size"] = 12;
    writePackage("flow-odd", odd);
    end = run("flow-odd", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("config.image_size 12 is not divisible by 2^levels = 8"), std::string::npos)
        << end.message;

    auto missing = configJson(config);
    missing.erase("channels");
    writePackage("flow-nochannels", missing);
    end = run("flow-nochannels", "image.sample", {}, 1);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("field 'config.channels' is missing"), std::string::npos) << end.message;

    // A config that disagrees with the weights: the loader names the tensor and both shapes.
    auto narrower = configJson(config);
    narrower["hidden"] = config.hidden / 2;
    writePackage("flow-narrower", narrower);
    end = run("flow-narrower", "image.sample", {}, 1);
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("coupling.conv1."), std::string::npos) << end.message;
    EXPECT_NE(end.message.find("the model expects [" + std::to_string(config.hidden / 2)), std::string::npos)
        << end.message;

    // A config bigger than its weights is refused before the network is built.
    auto wider = configJson(config);
    wider["hidden"] = 4096;
    writePackage("flow-wider", wider);
    end = run("flow-wider", "image.sample", {}, 1);
    EXPECT_EQ(end.kind, ErrorKind::ModelPackage);
    EXPECT_NE(end.message.find("more than the"), std::string::npos) << end.message;

    // The engine is still serving after all of that.
    EXPECT_EQ(run("flow-rgb", "image.sample", {}, 1).state, JobState::Finished);
}
