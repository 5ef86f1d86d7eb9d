// The image-torchscript family: any generator a user exported from PyTorch.
#include <torch/script.h>

#include "TorchScriptModel.h"
#include "latent/Error.h"
#include "latent/plugin/PluginApi.h"

namespace latent {
namespace {

[[noreturn]] void badConfig(const ModelPackage& p, const std::string& what) {
    throw Error(ErrorKind::ModelPackage, p.dir.string() + "/model.json: config." + what);
}

TorchScriptConfig readConfig(const ModelPackage& p) {
    const auto& c = p.config;
    TorchScriptConfig out;
    if (!c.contains("module") || !c["module"].is_string()) badConfig(p, "module must name the .pt file");
    out.module = c["module"].get<std::string>();
    if (!c.contains("latent_dim") || !c["latent_dim"].is_number_integer() || c["latent_dim"].get<int64_t>() < 1 ||
        c["latent_dim"].get<int64_t>() > 65536)
        badConfig(p, "latent_dim must be a whole number from 1 to 65536");
    out.latentDim = c["latent_dim"].get<int>();
    if (c.contains("num_classes")) {
        if (!c["num_classes"].is_number_integer() || c["num_classes"].get<int64_t>() < 0)
            badConfig(p, "num_classes must be a whole number >= 0");
        out.numClasses = c["num_classes"].get<int>();
    }
    if (c.contains("output_range")) {
        const auto& r = c["output_range"];
        if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() ||
            !(r[1].get<double>() > r[0].get<double>()))
            badConfig(p, "output_range must be [low, high] with high > low");
        out.rangeLow = r[0].get<double>();
        out.rangeHigh = r[1].get<double>();
    }
    bool listed = false;
    for (const auto& f : p.files) listed |= f.path == out.module;
    if (!listed) badConfig(p, "module '" + out.module + "' is not among the package's files");
    return out;
}

class TorchScriptFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override {
        TaskInfo t;
        t.id = "image.sample";
        t.label = "Sample images";
        t.params = {
            ParamSpec::integer("batch", "Batch", 1, 64, 1, "", "Images generated at once"),
            ParamSpec::number("temperature", "Temperature", 0.0, 3.0, 1.0, 0.05,
                              "Scales the latent vector: below 1 gives typical images, above 1 more varied ones"),
            ParamSpec::integer("class", "Class", -1, 100000, -1, "",
                               "Class label for class-conditional models; -1 picks one at random per image"),
        };
        return {t};
    }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, const std::string& device) override {
        TorchScriptConfig config = readConfig(package);
        const auto path = package.dir / config.module;
        torch::jit::Module module;
        try {
            module = torch::jit::load(path.string(), c10::Device(device));
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::Format, "cannot load TorchScript module " + path.string() + ": " +
                                               e.what_without_backtrace());
        } catch (const std::exception& e) {
            throw Error(ErrorKind::Format, "cannot load TorchScript module " + path.string() + ": " + e.what());
        }
        module.eval();
        return std::make_unique<TorchScriptModel>(std::move(module), std::move(config), device);
    }
};

}  // namespace
}  // namespace latent

LATENT_DEFINE_PLUGIN("image-torchscript", "TorchScript image generator", "1.0.0", latent::TorchScriptFamily)
