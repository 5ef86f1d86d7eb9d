// The text-gpt family: GPT-2 and Llama architecture language models loaded
// from Hugging Face-style folders; writes, completes code, scores text, and
// trains small GPT-2 models with their own tokenizer.
#include <optional>

#include "GptLoadedModel.h"
#include "GptTraining.h"
#include "HuggingFaceFolder.h"
#include "TextTasks.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/plugin/PluginApi.h"

namespace latent {
namespace {

class TextGptFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override { return gpt::textTasks(); }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string& device = context.device();
        const JsonReader config(package.config, package.dir.string() + "/model.json config", ErrorKind::ModelPackage);
        const std::string dtype = config.string("dtype", "auto");
        // Only the files model.json lists (and the registry verified): an
        // extra *.safetensors dropped into the folder must not become weights.
        std::vector<std::string> weights;
        for (const auto& f : package.files)
            if (std::filesystem::path(f.path).extension() == ".safetensors") weights.push_back(f.path);
        if (weights.empty())
            throw Error(ErrorKind::ModelPackage, "model '" + package.id + "' lists no .safetensors weights in model.json");
        return std::make_unique<gpt::GptLoadedModel>(gpt::GptModel::loadFolder(package.dir, device, dtype, weights));
    }

    std::optional<TaskInfo> trainTask() const override { return gpt::textTrainTask(); }

    std::optional<ModelPackage> describeFolder(const std::filesystem::path& dir) const override {
        return gpt::describeHuggingFaceFolder(dir);
    }
    void train(JobContext& ctx) override { gpt::runTextTraining(ctx); }
};

}  // namespace
}  // namespace latent

LATENT_DEFINE_PLUGIN("text-gpt", "GPT and Llama language models", "1.0.0", latent::TextGptFamily)
