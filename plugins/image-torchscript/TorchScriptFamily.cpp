// The image-torchscript family: any generator a user exported from PyTorch.
#include <torch/script.h>

#include "TorchScriptModel.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/plugin/PluginApi.h"

namespace latent {
namespace {

TorchScriptConfig readConfig(const ModelPackage& p) {
    const JsonReader r(p.config, p.dir.string() + "/model.json", ErrorKind::ModelPackage, "config");
    TorchScriptConfig out;
    out.module = r.nonEmptyString("module");
    out.latentDim = int(r.integer("latent_dim", 1, 65536));
    out.numClasses = int(r.integer("num_classes", 0, 0, 1'000'000));
    if (const auto range = r.optionalArray("output_range")) {
        if (range->size() != 2) r.fail("output_range", "must be [low, high]");
        out.rangeLow = range->at(0).asNumber(-1e9, 1e9);
        out.rangeHigh = range->at(1).asNumber(-1e9, 1e9);
        if (!(out.rangeHigh > out.rangeLow)) r.fail("output_range", "must be [low, high] with high > low");
    }
    bool listed = false;
    for (const auto& f : p.files) listed |= f.path == out.module;
    if (!listed) r.fail("module", "names '" + out.module + "', which is not among the package's files");
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

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string& device = context.device();
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
