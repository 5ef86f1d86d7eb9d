// plugins/image-common: the data-set builders, slider directions, sample grids
// and the training driver (checkpoint, resume, package), run as engine jobs.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <torch/torch.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "ImageDataset.h"
#include "ImageClassifier.h"
#include "ImageGrid.h"
#include "ImageTrainingRun.h"
#include "latent/plugin/torch/LatentDirections.h"
#include "TestSupport.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/ModelRegistry.h"
#include "latent/media/PngWriter.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

using namespace latent;
using latent::test::RecordingSink;
namespace fs = std::filesystem;

namespace {

// What the test learns about a net after the job has destroyed it.
struct NetRecord {
    std::int64_t steps = 0;
    std::int64_t resumedAt = -1;
};

// A real, tiny trainable: a per-pixel mean image learned by SGD, with a 2-D
// "latent" (mean brightness, label). Enough to drive every part of the driver.
class MeanImageNet final : public image::TrainableImageNet {
public:
    MeanImageNet(int c, int h, int w, NetRecord* record)
        : m_mean(torch::zeros({1, c, h, w}, torch::requires_grad())), m_record(record) {
        *m_record = {};
    }
    nlohmann::json config() const override { return {{"shape", {m_mean.size(1), m_mean.size(2)}}}; }
    std::vector<std::string> tasks() const override { return {"image.sample"}; }
    std::string latentSpace() const override { return "z"; }
    std::int64_t latentDim() const override { return 2; }
    std::map<std::string, double> trainStep(const at::Tensor& images, const at::Tensor&, at::Generator&) override {
        const at::Tensor loss = (images - m_mean).pow(2).mean();
        loss.backward();
        {
            at::NoGradGuard g;
            m_mean.sub_(m_mean.grad() * 20.0);
            m_mean.mutable_grad().zero_();
        }
        ++m_record->steps;
        return {{"loss", loss.item<double>()}};
    }
    at::Tensor sampleGrid(const at::Tensor& labels, at::Generator&) override {
        return m_mean.detach().expand({labels.size(0), -1, -1, -1}).clamp(0, 1);
    }
    std::map<std::string, double> evaluate(const image::ImageDataset&, const image::ImageDataset& test,
                                           JobContext&) override {
        return {{"test_mse", (image::toUnitRange(test.images) - m_mean.detach()).pow(2).mean().item<double>()}};
    }
    at::Tensor latentsFor(const at::Tensor& images, const at::Tensor& labels, at::Generator&) override {
        return at::stack({images.mean({1, 2, 3}), labels.to(at::kFloat)}, 1);
    }
    std::map<std::string, at::Tensor> weights() const override { return {{"mean", m_mean.detach().clone()}}; }
    void saveCheckpoint(const fs::path& file) const override {
        saveSafetensorsTensors(file, {{"mean", m_mean.detach()}, {"steps", at::tensor({m_record->steps})}});
    }
    void loadCheckpoint(const fs::path& file) override {
        const SafetensorsFile st(file);
        auto t = loadSafetensorsTensors(st);
        at::NoGradGuard g;
        m_mean.copy_(t.at("mean"));
        m_record->resumedAt = t.at("steps").item<std::int64_t>();
        m_record->steps = m_record->resumedAt;
    }
private:
    at::Tensor m_mean;
    NetRecord* m_record;
};

struct ImageCommon : ::testing::Test {
    test::TempDir dir;
    std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
    std::unique_ptr<Engine> engine;
    NetRecord record;

    void SetUp() override {
        EngineConfig c;
        c.discoverCuda = false;
        c.threads = 2;
        engine = std::make_unique<Engine>(c);
        engine->addSink(sink);
    }

    RecordingSink::Ended train(ParamMap values) {
        const TaskInfo task = image::imageTrainTask(30, 0.1, {});
        JobRequest r;
        r.params = validateParams(task.params, values);
        r.seed = 11;
        r.work = [this](JobContext& ctx) {
            image::FamilyTrainer f;
            f.family = "image-mean";
            f.kind = "Mean";
            f.description = "The mean image.";
            f.create = [this](JobContext&, const image::TrainSettings&, const image::ImageDataset& d) {
                auto net = std::make_unique<MeanImageNet>(d.channels(), d.height(), d.width(), &record);
                return net;
            };
            image::runImageTraining(ctx, f);
        };
        return sink->waitEnd(engine->submit(r), std::chrono::seconds(120));
    }
};

void writeTestPng(const fs::path& file, int w, int h, std::uint8_t value) {
    fs::create_directories(file.parent_path());
    writePng(file, makeImageFrame(w, h, std::vector<std::uint8_t>(std::size_t(w * h * 4), value)), {});
}

}  // namespace

TEST(ImageDatasets, FashionMnistHasTenNamedClasses) {
    const auto d = image::loadImageDataset({"fashion-mnist", "test", 0, 0, 100});
    ASSERT_EQ(d.images.sizes(), (at::IntArrayRef{100, 1, 28, 28}));
    EXPECT_EQ(d.classNames.size(), 10u);
    EXPECT_EQ(d.classNames[7], "sneaker");
    EXPECT_GE(d.labels.min().item<std::int64_t>(), 0);
    EXPECT_LE(d.labels.max().item<std::int64_t>(), 9);
    EXPECT_GT(d.images.to(at::kFloat).mean().item<double>(), 20.0);  // real pictures, not zeros
    const auto rgb = image::loadImageDataset({"fashion-mnist", "train", 32, 3, 8});
    EXPECT_EQ(rgb.images.sizes(), (at::IntArrayRef{8, 3, 32, 32}));
}

TEST(ImageDatasets, EmojiComeFromTheFontAsColourImages) {
    const auto d = image::loadImageDataset({"emoji", "train", 0, 0, 50});
    ASSERT_EQ(d.images.sizes(), (at::IntArrayRef{50, 3, 32, 32}));
    // Composited on white: corners are white, and the set has colour.
    EXPECT_EQ(d.images.index({at::indexing::Slice(), at::indexing::Slice(), 0, 0}).min().item<int>(), 255);
    const at::Tensor f = d.images.to(at::kFloat);
    EXPECT_GT((f.select(1, 0) - f.select(1, 2)).abs().amax({1, 2}).gt(60).sum().item<int>(), 25)
        << "most emoji should show strong colour";
    const auto test = image::loadImageDataset({"emoji", "test", 16, 0, 5});
    EXPECT_EQ(test.images.sizes(), (at::IntArrayRef{5, 3, 16, 16}));
}

TEST(ImageDatasets, FolderUsesSubfoldersAsClassesAndSkipsBrokenFiles) {
    test::TempDir d;
    for (int i = 0; i < 12; ++i) {
        const std::string n = std::to_string(i);
        writeTestPng(d.path() / "cats" / ("c" + n + ".png"), 40, 30, 200);
        writeTestPng(d.path() / "dogs" / ("d" + n + ".png"), 16, 16, 20);
    }
    std::ofstream(d.path() / "dogs" / "broken.png") << "not a png";
    const auto train = image::loadImageDataset({d.path().string(), "train", 16, 0, 0});
    const auto test = image::loadImageDataset({d.path().string(), "test", 16, 0, 0});
    EXPECT_EQ(train.classNames, (std::vector<std::string>{"cats", "dogs"}));
    EXPECT_EQ(train.size() + test.size(), 24);
    EXPECT_GT(test.size(), 0);
    EXPECT_EQ(train.images.sizes().slice(1), (at::IntArrayRef{3, 16, 16}));
    bool skipped = false, resized = false;
    for (const auto& n : train.notices) {
        skipped |= n.find("broken.png") != std::string::npos;
        resized |= n.find("resized") != std::string::npos;
    }
    EXPECT_TRUE(skipped);
    EXPECT_TRUE(resized);
}

TEST(ImageDatasets, BadSourcesSayWhatIsWrong) {
    test::TempDir d;
    std::ofstream(d.path() / "notes.txt") << "hello";
    auto message = [](const image::DatasetRequest& r) {
        try {
            image::loadImageDataset(r);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message({d.path().string(), "train"}).find("holds no images"), std::string::npos);
    EXPECT_NE(message({"imagenet", "train"}).find("neither a built-in data set"), std::string::npos);
    EXPECT_NE(message({"fashion-mnist", "validation"}).find("'train' or 'test'"), std::string::npos);
    ::setenv("LATENT_FASHION_MNIST_DIR", d.path().c_str(), 1);
    EXPECT_NE(message({"fashion-mnist", "train"}).find("dataset-fashion-mnist"), std::string::npos);
    ::unsetenv("LATENT_FASHION_MNIST_DIR");
}

TEST(LatentDirections, PrincipalAxisAndClassDirectionsAreFound) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
    // Variance 9 along (1,1)/sqrt2, 0.01 across it; class 1 sits 4 units up the second axis.
    const at::Tensor a = at::randn({400}, gen) * 3, b = at::randn({400}, gen) * 0.1;
    at::Tensor z = at::stack({(a + b) / std::sqrt(2.0), (a - b) / std::sqrt(2.0), at::zeros({400})}, 1);
    const at::Tensor labels = at::arange(400, at::kLong).remainder(2);
    z.select(1, 2).add_(labels.to(at::kFloat) * 4);
    image::ImageDataset data;
    data.classNames = {"left", "right"};
    data.directionPairs = {{0, 1}};
    const auto d = computeDirections(z, labels, data.classNames, data.directionPairs, 2);
    ASSERT_EQ(d.principal.sizes(), (at::IntArrayRef{2, 3}));
    // First axis: the class offset (variance 4) or the a-axis (variance 9): the larger wins.
    const at::Tensor first = d.principal[0];
    EXPECT_NEAR(first.norm().item<double>(), 3.0, 0.3);
    EXPECT_NEAR(first[0].item<double>(), first[1].item<double>(), 0.2);
    ASSERT_EQ(d.namedLabels, (std::vector<std::string>{"left ↔ right"}));
    EXPECT_NEAR(d.named[0][2].item<double>(), 4.0, 1e-4);
    EXPECT_GT(d.explained[0], d.explained[1]);
}

TEST(ImageGrid, LaysImagesOutWithGaps) {
    const auto f = image::gridFrame(at::ones({10, 1, 4, 5}), 4);
    EXPECT_EQ(f.width, 2 + 4 * (5 + 2));
    EXPECT_EQ(f.height, 2 + 3 * (4 + 2));
}

TEST_F(ImageCommon, TrainingWritesAPackageWithCardDirectionsAndGrids) {
    const fs::path out = dir.path() / "mean-fashion";
    auto end = train({{"data", std::string("fashion-mnist")}, {"out", out.string()}, {"limit", std::int64_t(300)},
                      {"eval_limit", std::int64_t(100)}, {"sample_every", std::int64_t(10)}});
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    const auto p = readModelManifest(out / "model.json");
    EXPECT_EQ(p.family, "image-mean");
    EXPECT_EQ(p.id, "mean-fashion");
    ASSERT_EQ(p.files.size(), 4u);
    EXPECT_EQ(p.files[0].path, "weights.safetensors");
    EXPECT_EQ(p.latent["dim"], 2);
    EXPECT_EQ(p.latent["named"].size(), 7u);  // the Fashion-MNIST pairs
    EXPECT_TRUE(p.provenance["metrics"].contains("test_mse"));
    EXPECT_NE(p.provenance["recipe"].get<std::string>().find("--family mean"), std::string::npos);
    EXPECT_EQ(p.provenance["training"]["steps"], 30);
    for (const char* f : {"weights.safetensors", "directions.safetensors", "samples.png", "README.md"})
        EXPECT_TRUE(fs::exists(out / f)) << f;
    EXPECT_TRUE(fs::exists(image::trainingDir(out) / "samples" / "step-30.png"));
    std::ifstream card(out / "README.md");
    const std::string text{std::istreambuf_iterator<char>(card), std::istreambuf_iterator<char>()};
    EXPECT_NE(text.find("test_mse"), std::string::npos);
    EXPECT_NE(text.find("MIT"), std::string::npos);
    // The learned mean image is Fashion-MNIST's mean, not noise.
    const SafetensorsFile st(out / "weights.safetensors");
    const auto w = loadSafetensorsTensors(st);
    const double mean = w.at("mean").mean().item<double>();
    EXPECT_GT(mean, 0.2);
    EXPECT_LT(mean, 0.4);
    // Metrics and grids streamed while training.
    std::lock_guard lock(sink->m_mutex);
    bool metric = false, grid = false;
    for (const auto& [job, chunks] : sink->chunks)
        for (const auto& c : chunks) {
            metric |= std::holds_alternative<Metric>(*c);
            grid |= std::holds_alternative<ImageFrame>(*c);
        }
    EXPECT_TRUE(metric);
    EXPECT_TRUE(grid);
}

TEST_F(ImageCommon, CancelledTrainingResumesFromItsCheckpoint) {
    const fs::path out = dir.path() / "resumable";
    ParamMap params{{"data", std::string("fashion-mnist")}, {"out", out.string()}, {"limit", std::int64_t(200)},
                    {"eval_limit", std::int64_t(50)}, {"steps", std::int64_t(100000)}};
    std::atomic<JobId> running{0};
    std::thread canceller([&] {
        // Cancel once training has made progress.
        for (int i = 0; i < 600 && running == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (int i = 0; i < 600; ++i) {
            {
                std::lock_guard lock(sink->m_mutex);
                if (sink->progress[running.load()].size() > 3) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        engine->cancel(running.load());
    });
    const TaskInfo task = image::imageTrainTask(30, 0.1, {});
    JobRequest r;
    r.params = validateParams(task.params, params);
    r.seed = 11;
    r.work = [this](JobContext& ctx) {
        image::FamilyTrainer f{"image-mean", "Mean", "The mean image.",
                               [this](JobContext&, const image::TrainSettings&, const image::ImageDataset& d) {
                                   return std::make_unique<MeanImageNet>(d.channels(), d.height(), d.width(),
                                                                         &record);
                               }};
        image::runImageTraining(ctx, f);
    };
    running = engine->submit(r);
    auto end = sink->waitEnd(running.load(), std::chrono::seconds(120));
    canceller.join();
    ASSERT_EQ(end.state, JobState::Cancelled) << end.message;
    EXPECT_FALSE(fs::exists(out));
    // The last checkpoint is one complete set in <out>.training/checkpoint/.
    const fs::path set = image::trainingDir(out) / "checkpoint";
    ASSERT_TRUE(fs::exists(set / "checkpoint.pt"));
    const auto state = nlohmann::json::parse(std::ifstream(set / "state.json"));
    const std::int64_t stoppedAt = state["step"];
    EXPECT_GT(stoppedAt, 0);

    params["steps"] = stoppedAt + 5;
    auto resumed = train(params);
    ASSERT_EQ(resumed.state, JobState::Finished) << resumed.message;
    EXPECT_EQ(record.resumedAt, stoppedAt);
    EXPECT_EQ(record.steps, stoppedAt + 5);  // 5 more steps, not a fresh run
    EXPECT_TRUE(fs::exists(out / "model.json"));

    // Another configuration must not silently continue this checkpoint.
    params["steps"] = stoppedAt + 10;
    params["size"] = std::int64_t(16);
    auto mismatch = train(params);
    EXPECT_EQ(mismatch.state, JobState::Failed);
    EXPECT_NE(mismatch.message.find("different family, configuration or data set"), std::string::npos) << mismatch.message;
}

TEST_F(ImageCommon, BadDataFailsTheJobWithAMessage) {
    auto end = train({{"data", std::string("/no/such/folder")}, {"out", (dir.path() / "x").string()}});
    EXPECT_EQ(end.state, JobState::Failed);
    EXPECT_NE(end.message.find("neither a built-in data set"), std::string::npos) << end.message;
    auto noOut = train({{"data", std::string("fashion-mnist")}});
    EXPECT_EQ(noOut.state, JobState::Failed);
    EXPECT_NE(noOut.message.find("no output folder"), std::string::npos) << noOut.message;
}

TEST_F(ImageCommon, ClassifierLearnsFashionMnistAndSkipsUnlabelledImages) {
    auto train = image::loadImageDataset({"fashion-mnist", "train", 0, 0, 3000});
    const auto test = image::loadImageDataset({"fashion-mnist", "test", 0, 0, 500});
    train.labels.narrow(0, 0, 1000).fill_(-1);  // a folder set may mix unlabelled images in
    double accuracy = 0;
    JobRequest r;
    r.work = [&](JobContext& ctx) {
        c10::InferenceMode off(false);
        accuracy = image::ImageClassifier::train(train, ctx, 200, 1)->accuracy(test);
    };
    const auto end = sink->waitEnd(engine->submit(r), std::chrono::seconds(120));
    ASSERT_EQ(end.state, JobState::Finished) << end.message;
    EXPECT_GT(accuracy, 0.6);  // chance is 0.1
}
