#include "ImageTrainingRun.h"

#include <chrono>
#include <cmath>
#include <climits>
#include <random>
#include <set>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <spdlog/spdlog.h>
#include <torch/version.h>

#include "ImageGrid.h"
#include "latent/BuildInfo.h"
#include "latent/Error.h"
#include "latent/TextFormat.h"
#include "latent/ModelPackage.h"
#include "latent/PackageFolder.h"
#include "latent/CheckpointFolder.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/torch/LatentDirections.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;

namespace latent::image {
namespace {

// Every step draws its batch and noise from its own generator, so a resumed
// run continues exactly where an uninterrupted one would have been.
at::Generator stepGenerator(std::uint64_t seed, std::int64_t step, std::uint64_t stream) {
    std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(step), std::uint32_t(stream)};
    std::uint32_t out[2];
    seq.generate(out, out + 2);
    return at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(out[0]) << 32 | out[1]);
}




// The labels the progress grid asks for: each class in turn, or "any".
at::Tensor gridLabels(const ImageDataset& data, std::int64_t n) {
    const auto classes = std::int64_t(data.classNames.size());
    if (classes == 0) return at::full({n}, -1, at::kLong);
    return at::arange(n, at::kLong).remainder(classes);
}

struct TrainState {
    std::int64_t step = 0;
    double wallSeconds = 0;
};

std::string modelCard(const ModelPackage& p, const FamilyTrainer& family, const TrainSettings& s,
                      const ImageDataset& train, const ImageDataset& test, const std::map<std::string, double>& metrics,
                      double wallSeconds, std::int64_t parameters, const nlohmann::json& latent,
                      const std::string& recipe) {
    std::ostringstream md;
    md << "# " << p.name << "\n\n" << p.description << "\n\n";
    md << "![samples](samples.png)\n\n";
    md << "| | |\n|---|---|\n";
    md << "| Family | `" << p.family << "` (" << family.kind << ") |\n";
    md << "| Data | " << train.source << " (" << train.size() << " training images, " << test.size()
       << " held-out) |\n";
    md << "| Data license | " << train.license << " |\n";
    md << "| Image | " << train.width() << "×" << train.height() << ", " << train.channels() << " channel"
       << (train.channels() == 1 ? "" : "s") << " |\n";
    md << "| Parameters | " << parameters << " (" << formatFixed(double(parameters) * 4 / 1e6, 2) << " MB fp32) |\n";
    md << "| Training | " << s.steps << " steps of batch " << s.batch << ", lr " << s.lr << ", seed " << s.seed
       << ", on " << s.device << " |\n";
    md << "| Wall time | " << formatDuration(wallSeconds) << " |\n";
    md << "| Latent | " << latent.value("dim", 0) << " values (" << latent.value("space", "") << "), "
       << latent.value("principal", 0) << " principal directions, " << latent["named"].size()
       << " named directions |\n\n";
    md << "## Metrics (held-out split)\n\n| metric | value |\n|---|---|\n";
    for (const auto& [name, value] : metrics) md << "| " << name << " | " << formatFixed(value, 4) << " |\n";
    md << "\n## Named directions\n\n";
    if (latent["named"].empty()) md << "None (the data has no class labels).\n";
    for (const auto& n : latent["named"]) md << "- " << n.get<std::string>() << "\n";
    md << "\n## Recipe\n\n```\n" << recipe << "\n```\n\n";
    md << "Trained by Latent Studio " << LATENT_APP_VERSION << " with LibTorch " << TORCH_VERSION
       << ". Metrics are computed on the data set's held-out split.\n";
    for (const auto& n : train.notices) md << "\nNote: " << n << "\n";
    return md.str();
}

}  // namespace

fs::path trainingDir(const fs::path& out) {
    const fs::path clean = out.has_filename() ? out : out.parent_path();
    return clean.parent_path() / (clean.filename().string() + ".training");
}

TaskInfo imageTrainTask(std::int64_t defaultSteps, double defaultLr, std::vector<ParamSpec> familyParams) {
    TaskInfo t;
    t.id = "train";
    t.label = "Train a model";
    t.params = {
        ParamSpec::text("data", "Data", "fashion-mnist",
                        "fashion-mnist, emoji, or a folder of images (subfolders name classes)"),
        ParamSpec::text("out", "Package folder", "", "Where the finished model package is written"),
        ParamSpec::text("id", "Model id", "", "Package id; default: the folder name"),
        ParamSpec::text("name", "Name", "", "Display name; default: from the family and data"),
        ParamSpec::integer("steps", "Steps", 1, 10'000'000, defaultSteps, "steps", "Optimisation steps"),
        ParamSpec::integer("batch", "Batch", 1, 1024, 64, "images", "Images per step"),
        ParamSpec::number("lr", "Learning rate", 1e-6, 1.0, defaultLr, 0, "Adam learning rate"),
        ParamSpec::integer("size", "Image size", 0, 512, 0, "px", "Square side; 0 keeps the data's own size"),
        ParamSpec::integer("limit", "Training images", 0, 10'000'000, 0, "images", "Use at most this many; 0 = all"),
        ParamSpec::integer("eval_limit", "Test images", 0, 10'000'000, 0, "images",
                           "Held-out images for the model-card metric; 0 = all"),
        ParamSpec::integer("sample_every", "Sample grid every", 1, 10'000'000, 500, "steps",
                           "Write a grid of samples this often"),
        ParamSpec::integer("checkpoint_every", "Checkpoint every", 1, 10'000'000, 500, "steps",
                           "Save a resumable checkpoint this often"),
        ParamSpec::boolean("resume", "Resume", true, "Continue from the last checkpoint of this package folder"),
    };
    for (auto& p : familyParams) t.params.push_back(std::move(p));
    return t;
}

TrainSettings readTrainSettings(JobContext& ctx, const std::string& family) {
    TrainSettings s;
    s.data = ctx.stringParam("data");
    s.out = packageOutputFolder(ctx.stringParam("out"), family);
    s.id = ctx.stringParam("id");
    s.name = ctx.stringParam("name");
    s.steps = ctx.intParam("steps");
    s.batch = ctx.intParam("batch");
    s.lr = ctx.floatParam("lr");
    s.size = int(ctx.intParam("size"));
    s.limit = ctx.intParam("limit");
    s.evalLimit = ctx.intParam("eval_limit");
    s.sampleEvery = ctx.intParam("sample_every");
    s.checkpointEvery = ctx.intParam("checkpoint_every");
    s.resume = ctx.boolParam("resume");
    s.seed = ctx.seed();
    s.device = ctx.device();
    return s;
}

void runImageTraining(JobContext& ctx, const FamilyTrainer& family) {
    at::AutoGradMode grad(true);  // a train job runs outside InferenceMode
    const TrainSettings s = readTrainSettings(ctx, family.family);
    const auto started = std::chrono::steady_clock::now();

    ctx.progress(0, s.steps, "loading " + s.data);
    const ImageDataset train = loadImageDataset({s.data, "train", s.size, 0, s.limit});
    const ImageDataset test = loadImageDataset({s.data, "test", train.height(), train.channels(), s.evalLimit});
    for (const auto& n : train.notices) ctx.log(LogLevel::Warning, n);
    ctx.log(LogLevel::Info, "data: " + train.name + ", " + std::to_string(train.size()) + " images " +
                                std::to_string(train.width()) + "×" + std::to_string(train.height()) + "×" +
                                std::to_string(train.channels()) + ", " + std::to_string(train.classNames.size()) +
                                " classes; " + std::to_string(test.size()) + " held out");

    auto net = family.create(ctx, s, train);
    const fs::path work = trainingRunFolder(s.out);
    fs::create_directories(work / "samples");
    // The network's checkpoint and the step it reached, saved as one set.
    CheckpointFolder checkpoints(work);
    constexpr const char* kNetFile = "checkpoint.pt";
    constexpr const char* kStateFile = "state.json";
    TrainState state;
    if (const auto set = checkpoints.latest();
        s.resume && set && fs::exists(*set / kNetFile) && fs::exists(*set / kStateFile)) {
        const auto saved = readJsonFile(*set / kStateFile);
        const JsonReader r(saved, (*set / kStateFile).string());
        if (r.string("family", "") != family.family || r.raw("config") != net->config() ||
            r.string("data", "") != train.name)
            throw Error(ErrorKind::BadArgument, "the checkpoint in " + work.string() +
                                                    " belongs to a different family, configuration or data set; "
                                                    "delete that folder or set resume=false to start afresh");
        net->loadCheckpoint(*set / kNetFile);
        state.step = r.integer("step", 0, 0, INT64_MAX);
        state.wallSeconds = r.number("wall_seconds", 0.0, 0.0, 1e12);
        ctx.log(LogLevel::Info, "resuming from step " + std::to_string(state.step) + " (" + set->string() + ")");
    }

    double wallAtResume = state.wallSeconds;
    auto wallNow = [&] {
        return wallAtResume + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    auto saveCheckpoint = [&] {
        const nlohmann::json j{{"family", family.family}, {"config", net->config()}, {"data", train.name},
                               {"step", state.step},     {"wall_seconds", wallNow()}, {"seed", s.seed}};
        checkpoints.save([&](const fs::path& dir) {
            net->saveCheckpoint(dir / kNetFile);
            writeFileAtomic(dir / kStateFile, dumpJson(j, 2));
        });
    };
    auto writeGrid = [&](const fs::path& file) {
        at::NoGradGuard noGrad;
        auto gen = stepGenerator(s.seed, 0, 7);  // the same latents for every grid of this run
        const at::Tensor images = net->sampleGrid(gridLabels(train, 64), gen);
        writeGridPng(images, 8, file);
        ImageFrame frame = gridFrame(images, 8);
        frame.step = int(std::min<std::int64_t>(state.step, INT32_MAX));
        frame.totalSteps = int(std::min<std::int64_t>(s.steps, INT32_MAX));
        frame.final = false;
        ctx.emit(std::move(frame));
    };

    const std::int64_t n = train.size();
    const c10::Device device(s.device);
    std::map<std::string, double> running;
    std::int64_t runningCount = 0;
    while (state.step < s.steps) {
        if (ctx.stopRequested()) {
            saveCheckpoint();
            ctx.log(LogLevel::Info, "stopped at step " + std::to_string(state.step) + "; the checkpoint in " +
                                        work.string() + " resumes it");
            ctx.throwIfStopped();
        }
        auto gen = stepGenerator(s.seed, state.step, 1);
        const at::Tensor index = at::randint(n, {std::min(s.batch, n)}, gen, at::kLong);
        const at::Tensor images = toUnitRange(train.images.index_select(0, index)).to(device);
        const at::Tensor labels = train.labels.index_select(0, index).to(device);
        const auto losses = net->trainStep(images, labels, gen);
        ++state.step;
        for (const auto& [name, value] : losses) {
            if (!std::isfinite(value))
                throw Error(ErrorKind::Runtime, "training diverged at step " + std::to_string(state.step) + " (" +
                                                    name + " is not finite); try a lower learning rate. The last "
                                                    "checkpoint in " + work.string() + " is intact");
            running[name] += value;
        }
        ++runningCount;
        if (state.step % 20 == 0 || state.step == s.steps || state.step == 1) {
            std::string text = "step " + std::to_string(state.step) + "/" + std::to_string(s.steps);
            for (auto& [name, sum] : running) {
                const double mean = sum / double(runningCount);
                text += " " + name + "=" + formatFixed(mean, 4);
                ctx.emit(Metric{name, mean, state.step});
                sum = 0;
            }
            runningCount = 0;
            ctx.progress(state.step, s.steps, text);
            if (state.step % 200 == 0 || state.step == 1) ctx.log(LogLevel::Info, text);
        }
        if (state.step % s.sampleEvery == 0)
            writeGrid(work / "samples" / ("step-" + std::to_string(state.step) + ".png"));
        if (state.step % s.checkpointEvery == 0 || state.step == s.steps) saveCheckpoint();
    }

    ctx.progress(s.steps, s.steps, "evaluating on " + test.name);
    const auto metrics = net->evaluate(train, test, ctx);
    for (const auto& [name, value] : metrics) {
        ctx.emit(Metric{name, value, state.step});
        ctx.log(LogLevel::Info, name + " = " + formatFixed(value, 4));
    }

    // Slider directions from up to 5000 training images.
    ctx.progress(s.steps, s.steps, "computing slider directions");
    nlohmann::json latent;
    const fs::path tmp = makeStagingFolder(s.out);
    try {
        at::Tensor pick;
        {
            auto gen = stepGenerator(s.seed, 0, 3);
            pick = at::randperm(n, gen, at::kLong).narrow(0, 0, std::min<std::int64_t>(n, 5000));
        }
        std::vector<at::Tensor> latents;
        {
            at::NoGradGuard noGrad;
            auto gen = stepGenerator(s.seed, 0, 4);
            for (std::int64_t i = 0; i < pick.size(0); i += 250) {
                ctx.throwIfStopped();
                const at::Tensor idx = pick.narrow(0, i, std::min<std::int64_t>(250, pick.size(0) - i));
                latents.push_back(net->latentsFor(toUnitRange(train.images.index_select(0, idx)).to(device),
                                                  train.labels.index_select(0, idx).to(device), gen)
                                      .to(at::kCPU, at::kFloat));
            }
        }
        const LatentDirections directions =
            computeDirections(at::cat(latents), train.labels.index_select(0, pick), train.classNames,
                              train.directionPairs);
        latent = saveDirections(directions, tmp / "directions.safetensors", net->latentSpace(), net->latentDim());
        if (const at::Tensor m = net->latentMean(); m.defined()) latent["has_mean"] = true;
        // A class-conditional model names its classes, so the app can offer them by name.
        if (const auto k = net->config().value("num_classes", 0); k > 0 && std::size_t(k) == train.classNames.size())
            latent["classes"] = train.classNames;

        writeGrid(tmp / "samples.png");
        std::int64_t parameters = 0;
        const auto weights = net->weights();
        for (const auto& [name, t] : weights) parameters += t.numel();
        const auto wall = wallNow();
        saveSafetensorsTensors(tmp / "weights.safetensors", weights,
                               {{"format", "latent-studio"}, {"family", family.family}});

        ModelPackage p;
        p.id = s.id.empty() ? s.out.filename().string() : s.id;
        p.name = s.name.empty() ? family.kind + " · " + train.name.substr(0, train.name.find('/')) : s.name;
        p.family = family.family;
        p.version = "1.0.0";
        p.description = family.description + " Trained on " + train.name.substr(0, train.name.find('/')) + ".";
        p.tasks = net->tasks();
        p.config = net->config();
        p.defaults = net->defaults();
        p.latent = latent;
        p.license = "Model: MIT (Latent Studio). Training data: " + train.license;
        std::ostringstream recipe;
        recipe << "latent-studio train image --family " << family.family.substr(family.family.find('-') + 1)
               << " --data " << s.data << " --out " << s.out.filename().string() << " --steps " << s.steps
               << " --seed " << s.seed << " --set batch=" << s.batch << " --set lr=" << s.lr;
        if (s.size) recipe << " --set size=" << s.size;
        if (s.limit) recipe << " --set limit=" << s.limit;
        for (const auto& [key, value] : ctx.params()) {
            static const std::set<std::string> common{"data", "out", "id", "name", "steps", "batch", "lr", "size",
                                                      "limit", "eval_limit", "sample_every", "checkpoint_every",
                                                      "resume"};
            if (common.count(key)) continue;
            recipe << " --set " << key << "=";
            std::visit([&](const auto& v) { recipe << v; }, value);
        }
        nlohmann::json metricJson = nlohmann::json::object();
        for (const auto& [name, value] : metrics) metricJson[name] = value;
        p.provenance = {{"data", {{"name", train.name}, {"source", train.source}, {"license", train.license},
                                  {"train_images", train.size()}, {"test_images", test.size()}}},
                        {"recipe", recipe.str()},
                        {"training", {{"steps", s.steps}, {"batch", s.batch}, {"lr", s.lr}, {"seed", s.seed},
                                      {"device", s.device}, {"wall_seconds", std::round(wall)},
                                      {"parameters", parameters}}},
                        {"metrics", metricJson},
                        {"app_version", LATENT_APP_VERSION},
                        {"torch_version", TORCH_VERSION}};
        writeFileAtomic(tmp / "README.md",
                        modelCard(p, family, s, train, test, metrics, wall, parameters, latent, recipe.str()));
        for (const char* f : {"weights.safetensors", "directions.safetensors", "samples.png", "README.md"})
            p.files.push_back({f, fs::file_size(tmp / f), Sha256::fileHex(tmp / f)});
        p.dir = tmp;
        writeModelManifest(p, tmp / "model.json");

        // Swap the finished package in; an older package there is replaced whole.
        replacePackageFolder(tmp, s.out, family.family);
        ctx.log(LogLevel::Info, "wrote " + s.out.string() + " (" + formatDuration(wall) + " of training)");
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    ctx.progress(s.steps, s.steps, "done");
}

}  // namespace latent::image
