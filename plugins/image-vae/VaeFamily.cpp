// The image-vae family: a convolutional VAE with a Bernoulli decoder. Samples
// from the prior, decodes slider latents, encodes images to their posterior
// mean, scores images by their ELBO, and trains new packages from image data.
#include <optional>

#include <c10/core/InferenceMode.h>
#include <torch/utils.h>

#include "ImageTrainingRun.h"
#include "LatentImageModel.h"
#include "VaeImageNet.h"
#include "VaeTrainable.h"
#include "WeightCount.h"
#include "latent/Error.h"
#include "latent/formats/Safetensors.h"
#include "latent/plugin/PluginApi.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace latent {
namespace {

constexpr const char* kWeightsFile = "weights.safetensors";

ParamSpec temperatureParam() {
    return ParamSpec::number("temperature", "Temperature", 0.0, 3.0, 1.0, 0.05,
                             "Scales the latent drawn from the prior: below 1 gives typical images, above 1 more "
                             "varied (and stranger) ones");
}

class VaeFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override {
        return {image::sampleTask(false, 0, {temperatureParam()}), image::decodeTask(), image::encodeTask()};
    }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string& device = context.device();
        const std::string manifest = (package.dir / "model.json").string();
        const image::VaeConfig config = image::VaeConfig::fromJson(package.config, manifest);
        const ModelFile* weights = nullptr;
        for (const auto& f : package.files)
            if (f.path == kWeightsFile) weights = &f;
        if (!weights)
            throw Error(ErrorKind::ModelPackage,
                        manifest + ": the files list has no " + kWeightsFile + " (the VAE's weights)");

        const SafetensorsFile file(package.filePath(*weights));
        image::requireWeightsFitConfig(config.valueCount(), image::weightValueCount(file), manifest);
        image::VaeNet net(config);
        try {
            net->to(torch::Device(device));
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::Device, "cannot load " + package.id + " onto device '" + device +
                                               "': " + e.what_without_backtrace());
        }
        // Throws Format for a damaged file and ModelPackage for missing,
        // extra or mis-shaped tensors, naming the file and the tensor.
        loadModuleWeights(*net, loadSafetensorsTensors(file, "cpu"), package.filePath(*weights).string());
        return std::make_unique<image::LatentImageModel>(std::make_unique<image::VaeImageNet>(std::move(net), device),
                                                         device);
    }

    std::optional<TaskInfo> trainTask() const override {
        return image::imageTrainTask(
            6000, 1e-3,
            {ParamSpec::integer("latent_dim", "Latent size", 2, 512, 32, "",
                                "Dimensions of z: more keeps more detail, fewer gives smoother sliders"),
             ParamSpec::integer("width", "Width", 8, 256, 32, "",
                                "Channels of the first convolution (the others are 2x and 4x): capacity and cost"),
             ParamSpec::number("beta", "Beta", 0.0, 20.0, 1.0, 0.1,
                               "Weight of the KL term: above 1 gives a smoother, more disentangled latent space "
                               "and blurrier images; 1 is the true ELBO")});
    }

    void train(JobContext& ctx) override {
        // A train job runs outside InferenceMode (the engine enters it for
        // inference only); gradients are on as in any fresh thread.

        image::FamilyTrainer trainer;
        trainer.family = "image-vae";
        trainer.kind = "VAE";
        trainer.description = "A convolutional variational autoencoder with a Bernoulli decoder: sample, encode, "
                              "decode and slide through its latent space.";
        trainer.create = [](JobContext& job, const image::TrainSettings& settings,
                            const image::ImageDataset& data) -> std::unique_ptr<image::TrainableImageNet> {
            if (data.height() != data.width())
                throw Error(ErrorKind::BadArgument, "the VAE needs square images; '" + data.name + "' is " +
                                                        std::to_string(data.width()) + "x" +
                                                        std::to_string(data.height()) + " (set a size)");
            image::VaeConfig config;
            config.imageSize = data.height();
            config.channels = data.channels();
            config.latentDim = int(job.intParam("latent_dim"));
            config.width = int(job.intParam("width"));
            config.beta = job.floatParam("beta");
            config.validate();
            // Initial weights come from torch's global generator: seed it so a run repeats.
            torch::manual_seed(settings.seed);
            return std::make_unique<image::VaeTrainable>(config, settings.device, settings.lr);
        };
        image::runImageTraining(ctx, trainer);
    }
};

}  // namespace
}  // namespace latent

LATENT_DEFINE_PLUGIN("image-vae", "Variational autoencoder (images)", "1.0.0", latent::VaeFamily)
