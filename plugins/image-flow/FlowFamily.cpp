// The image-flow family: Glow, a normalising flow with an exact, invertible
// latent (eps), exact likelihoods (bits/dim) and exact encoding.
#include <optional>

#include "FlowImageNet.h"
#include "FlowTrainable.h"
#include "ImageTrainingRun.h"
#include "LatentImageModel.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/plugin/PluginApi.h"

namespace latent {
namespace {

constexpr const char* kWeightsFile = "weights.safetensors";

flow::GlowConfig readConfig(const ModelPackage& p) {
    const JsonReader r(p.config, (p.dir / "model.json").string(), ErrorKind::ModelPackage, "config");
    if (!p.config.is_object()) r.failHere("must be an object");
    flow::GlowConfig c;
    c.imageSize = int(r.integer("image_size", 1, 65536));
    c.channels = int(r.integer("channels", 1, 65536));
    c.levels = int(r.integer("levels", 2, 1, 65536));
    c.stepsPerLevel = int(r.integer("steps_per_level", 8, 1, 65536));
    c.hidden = int(r.integer("hidden", 128, 1, 65536));
    if (const auto why = c.problem(); !why.empty()) throw Error(ErrorKind::ModelPackage, r.source() + ": config." + why);
    return c;
}

std::vector<ParamSpec> sampleParams() {
    return {ParamSpec::number("temperature", "Temperature", 0.0, 2.0, flow::FlowTrainable::kSampleTemperature, 0.05,
                              "Scales the latent: below 1 gives cleaner, more typical images, 1 the model's own "
                              "distribution")};
}

std::unique_ptr<image::TrainableImageNet> createTrainable(JobContext& ctx, const image::TrainSettings& settings,
                                                          const image::ImageDataset& data) {
    if (data.height() != data.width())
        throw Error(ErrorKind::BadArgument, "the flow needs square images; " + data.name + " has " +
                                                std::to_string(data.width()) + "×" + std::to_string(data.height()));
    flow::GlowConfig c;
    c.imageSize = data.height();
    c.channels = data.channels();
    c.levels = int(ctx.intParam("levels"));
    c.stepsPerLevel = int(ctx.intParam("steps_per_level"));
    c.hidden = int(ctx.intParam("hidden"));
    if (const auto why = c.problem(); !why.empty())
        throw Error(ErrorKind::BadArgument, "cannot train this flow: " + why +
                                                "; use fewer levels or resize the data (size=) to a multiple of " +
                                                std::to_string(1 << c.levels));
    return std::make_unique<flow::FlowTrainable>(c, settings.device, settings.lr, settings.seed);
}

class FlowFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override {
        return {image::sampleTask(false, 0, sampleParams()), image::decodeTask(), image::encodeTask()};
    }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string& device = context.device();
        const auto config = readConfig(package);
        const ModelFile* weights = nullptr;
        for (const auto& f : package.files)
            if (f.path == kWeightsFile) weights = &f;
        if (!weights)
            throw Error(ErrorKind::ModelPackage, (package.dir / "model.json").string() + ": files must list " +
                                                     kWeightsFile);
        auto net = std::make_unique<flow::FlowImageNet>(config, package.filePath(*weights), device);
        return std::make_unique<image::LatentImageModel>(std::move(net), device);
    }

    std::optional<TaskInfo> trainTask() const override {
        return image::imageTrainTask(
            6000, 1e-3,
            {ParamSpec::integer("levels", "Levels", 1, 4, 2, "",
                                "Scales of the flow; each halves the image side, so the size must divide by 2^levels"),
             ParamSpec::integer("steps_per_level", "Steps per level", 1, 32, 8, "",
                                "Flow steps (actnorm, 1x1 conv, coupling) at each scale"),
             ParamSpec::integer("hidden", "Hidden channels", 8, 512, 128, "",
                                "Width of each coupling layer's network")});
    }

    void train(JobContext& ctx) override {
        image::runImageTraining(ctx, image::FamilyTrainer{"image-flow", "Glow",
                                                          "A Glow normalising flow: exact likelihood (bits/dim), "
                                                          "exact encoding, and a latent (eps) the sliders move.",
                                                          createTrainable});
    }
};

}  // namespace
}  // namespace latent

LATENT_DEFINE_PLUGIN("image-flow", "Glow normalising flow", "1.0.0", latent::FlowFamily)
