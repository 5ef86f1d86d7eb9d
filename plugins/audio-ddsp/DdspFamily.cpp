// The audio-ddsp family: one-shot drums and instrument notes from a
// harmonic-plus-noise synthesiser, trained here (VAE or VQ-VAE + prior).
#include "DdspModel.h"
#include "DdspTraining.h"
#include "latent/Error.h"
#include "latent/formats/Safetensors.h"
#include "latent/plugin/PluginApi.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace latent::ddsp {
namespace {

ParamSchema soundParams() {
    return {ParamSpec::text("class", "Class", "kick", "The drum or instrument (the model's class names)"),
            ParamSpec::integer("pitch", "Pitch", 0, 127, 60, "MIDI", "The note to play (instruments; drums ignore it)"),
            ParamSpec::integer("velocity", "Velocity", 1, 127, 100, "", "How hard the note is struck"),
            ParamSpec::number("temperature", "Temperature", 0.0, 3.0, 1.0, 0.05,
                              "Spread of the random latent (or the prior's sampling): 0 is the most typical sound"),
            ParamSpec::integer("top_k", "Top-k", 0, 65536, 0, "", "VQ prior: sample among the k likeliest codes (0: all)"),
            ParamSpec::number("gain", "Gain", 0.0, 4.0, 1.0, 0.05, "Output level")};
}

class DdspFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override {
        return {TaskInfo{"audio.sample", "Play a sound", soundParams()},
                TaskInfo{"audio.decode", "Decode a latent", soundParams()},
                TaskInfo{"audio.transfer", "Re-synthesise a one-shot", soundParams()}};
    }

    std::optional<TaskInfo> trainTask() const override { return ddspTrainTask(); }
    void train(JobContext& ctx) override { runDdspTraining(ctx); }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string where = package.dir.string() + "/model.json";
        const DdspConfig config = DdspConfig::fromJson(package.config, where);
        const auto file = package.dir / "weights.safetensors";
        const SafetensorsFile st(file);
        const auto all = loadSafetensorsTensors(st, "cpu");
        std::map<std::string, at::Tensor> net, prior;
        for (const auto& [name, t] : all) {
            if (name.rfind("net.", 0) == 0) net[name.substr(4)] = t;
            else if (name.rfind("prior.", 0) == 0) prior[name.substr(6)] = t;
            else throw Error(ErrorKind::ModelPackage, file.string() + " holds an unexpected tensor '" + name + "'");
        }
        DdspNet model(config);
        loadModuleWeights(*model, net, file.string());
        CodePrior codePrior{nullptr};
        if (config.isVq()) {
            codePrior = CodePrior(config);
            loadModuleWeights(*codePrior, prior, file.string());
            codePrior->eval();
            codePrior->to(torch::Device(context.device()));
        }
        model->eval();
        model->to(torch::Device(context.device()));
        return std::make_unique<DdspModel>(std::move(model), std::move(codePrior), context.device());
    }
};

}  // namespace
}  // namespace latent::ddsp

LATENT_DEFINE_PLUGIN("audio-ddsp", "DDSP one-shot sounds", "1.0.0", latent::ddsp::DdspFamily)
