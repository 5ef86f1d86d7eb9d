// The image-gan family: a small StyleGAN2-style generator. Samples with
// truncation, decodes slider latents in W, projects images into W by
// optimisation, and trains new packages from image data.
#include <algorithm>
#include <optional>

#include <c10/core/InferenceMode.h>
#include <torch/utils.h>

#include "GanImageNet.h"
#include "GanTrainable.h"
#include "ImageTrainingRun.h"
#include "LatentImageModel.h"
#include "WeightCount.h"
#include "latent/Error.h"
#include "latent/formats/Safetensors.h"
#include "latent/plugin/PluginApi.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace latent {
namespace {

constexpr const char* kWeightsFile = "weights.safetensors";
// The family's schema serves every package; the loaded model checks a class
// against its own count and names the valid range.
constexpr std::int64_t kMaxClasses = 100000;

class GanFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override {
        return {image::sampleTask(true, kMaxClasses,
                                  {ParamSpec::number("truncation", "Truncation", 0.0, 1.5, 0.7, 0.05,
                                                     "Pulls w toward the average: below 1 gives typical, cleaner "
                                                     "images, 1 the full variety, above 1 stranger ones")}),
                image::decodeTask(),
                image::encodeTask({ParamSpec::integer("steps", "Steps", 10, 2000, 200, "steps",
                                                      "Optimisation steps of the projection into W: more fit the "
                                                      "image closer")})};
    }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string& device = context.device();
        const std::string manifest = (package.dir / "model.json").string();
        const gan::GanConfig config = gan::GanConfig::fromJson(package.config, manifest);
        const ModelFile* weights = nullptr;
        for (const auto& f : package.files)
            if (f.path == kWeightsFile) weights = &f;
        if (!weights)
            throw Error(ErrorKind::ModelPackage,
                        manifest + ": the files list has no " + kWeightsFile + " (the generator's weights)");
        const auto path = package.filePath(*weights);
        // Throws Format for a damaged file; GanImageNet throws ModelPackage for
        // missing, extra or mis-shaped tensors, naming the file and the tensor.
        const SafetensorsFile file(path);
        image::requireWeightsFitConfig(config.valueCount(), image::weightValueCount(file), manifest);
        auto net =
            std::make_unique<gan::GanImageNet>(config, loadSafetensorsTensors(file, "cpu"), path.string(), device);
        return std::make_unique<image::LatentImageModel>(std::move(net), device);
    }

    std::optional<TaskInfo> trainTask() const override {
        return image::imageTrainTask(
            8000, 2e-3,
            {ParamSpec::boolean("conditional", "Class-conditional", true,
                                "Condition on the data's class labels (when it has them), so you can ask for a class"),
             ParamSpec::integer("z_dim", "z size", 8, 512, 64, "", "Dimensions of the random input z"),
             ParamSpec::integer("w_dim", "w size", 8, 512, 128, "",
                                "Dimensions of the style vector w, the space the sliders move"),
             ParamSpec::number("r1_gamma", "R1 gamma", 0.0, 100.0, 1.0, 0.1,
                               "Weight of the gradient penalty on real images: higher is more stable, lower "
                               "sharper"),
             ParamSpec::integer("width", "Width", 8, 512, 128, "",
                                "Channels at a quarter of the image size (halved at each doubling): capacity and "
                                "cost")});
    }

    void train(JobContext& ctx) override {
        // A train job runs outside InferenceMode (the engine enters it for
        // inference only); gradients are on as in any fresh thread.

        image::FamilyTrainer trainer;
        trainer.family = "image-gan";
        trainer.kind = "GAN";
        trainer.description = "A small StyleGAN2-style GAN: sample with truncation, slide through its W space, "
                              "and project images into it.";
        trainer.create = [](JobContext& job, const image::TrainSettings& settings,
                            const image::ImageDataset& data) -> std::unique_ptr<image::TrainableImageNet> {
            if (data.height() != data.width() || data.height() % 4 != 0 || data.height() < 4)
                throw Error(ErrorKind::BadArgument, "the GAN needs square images with a side divisible by 4; '" +
                                                        data.name + "' is " + std::to_string(data.width()) + "x" +
                                                        std::to_string(data.height()) + " (set a size, e.g. 32)");
            gan::GanConfig config;
            config.imageSize = data.height();
            config.channels = data.channels();
            config.zDim = int(job.intParam("z_dim"));
            config.wDim = int(job.intParam("w_dim"));
            const bool labelled = data.labels.defined() && data.classNames.size() >= 2 &&
                                  (data.labels >= 0).all().item<bool>();
            config.numClasses = job.boolParam("conditional") && labelled ? int(data.classNames.size()) : 0;
            if (job.boolParam("conditional") && !labelled)
                job.log(LogLevel::Info, "'" + data.name + "' has no class labels on every image: training an "
                                                          "unconditional GAN");
            const int width = int(job.intParam("width"));
            config.widths = {width, std::max(1, width / 2), std::max(1, width / 4)};
            gan::GanTrainOptions options;
            options.lr = settings.lr;
            options.r1Gamma = job.floatParam("r1_gamma");
            options.seed = settings.seed;
            options.device = settings.device;
            return std::make_unique<gan::GanTrainable>(config, options);
        };
        image::runImageTraining(ctx, trainer);
    }
};

}  // namespace
}  // namespace latent

LATENT_DEFINE_PLUGIN("image-gan", "StyleGAN-style GAN (images)", "1.0.0", latent::GanFamily)
