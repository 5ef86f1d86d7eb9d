// The audio-rave family: RAVE and other nn~ TorchScript exports from disk.
#include <fstream>

#include <torch/script.h>

#include "RaveModel.h"
#include "latent/Error.h"
#include "latent/plugin/PluginApi.h"

namespace fs = std::filesystem;

namespace latent {
namespace {

constexpr const char* kModuleFile = "model.ts";

bool isZipArchive(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in && std::string(magic, 4) == std::string("PK\x03\x04", 4);
}

torch::jit::Module loadModule(const fs::path& file, const std::string& device) {
    try {
        return torch::jit::load(file.string(), c10::Device(device));
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, "cannot load TorchScript module " + file.string() + ": " +
                                           e.what_without_backtrace());
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Format, "cannot load TorchScript module " + file.string() + ": " + e.what());
    }
}

ParamSpec latentSourceParam() {
    ParamSpec p;
    p.name = "latent_source";
    p.type = ParamType::Choice;
    p.label = "Latent source";
    p.description = "Where the latent path comes from: the model's prior when it exports one (auto), or a random "
                    "path that drifts at the smoothness time scale";
    p.choices = {"auto", "random", "prior"};
    p.defaultValue = std::string("auto");
    return p;
}

class RaveFamily final : public ModelFamily {
public:
    std::vector<TaskInfo> tasks() const override {
        TaskInfo sample{"audio.sample", "Sample sound",
                        {ParamSpec::number("duration_s", "Duration", 0.1, 3600.0, 4.0, 0.1, "Length of the sound in seconds"),
                         ParamSpec::number("temperature", "Temperature", 0.0, 4.0, 1.0, 0.05,
                                           "Scales the latent path: below 1 is tamer, above 1 wilder"),
                         ParamSpec::number("smoothness_s", "Smoothness", 0.0, 30.0, 0.5, 0.05,
                                           "How slowly the random latent path moves, in seconds (0: a new value "
                                           "every latent frame)"),
                         latentSourceParam()}};
        TaskInfo transfer{"audio.transfer", "Timbre transfer", {}};
        TaskInfo encode{"audio.encode", "Encode a clip", {}};
        TaskInfo decode{"audio.decode", "Decode a latent path", {}};
        return {sample, transfer, encode, decode};
    }

    std::optional<ModelPackage> describeFile(const fs::path& file) const override {
        if (!isZipArchive(file)) return std::nullopt;  // TorchScript archives are zip files
        torch::jit::Module module = loadModule(file, "cpu");
        const auto signature = readRaveSignature(module, file.filename().string());
        if (!signature) return std::nullopt;
        ModelPackage p;
        p.family = "audio-rave";
        p.name = file.stem().string();
        p.description = "RAVE / nn~ export imported from " + file.filename().string() + ": " +
                        std::to_string(signature->latentDims()) + " latent dimensions at " +
                        std::to_string(signature->sampleRateHz) + " Hz, " +
                        (signature->audioChannels() == 2 ? "stereo" : "mono") +
                        (signature->streaming ? ", streaming" : "") + (signature->prior ? ", with a prior" : "");
        p.tasks = {"audio.sample", "audio.transfer", "audio.encode", "audio.decode"};
        p.files = {{kModuleFile, 0, ""}};
        p.config = signature->toJson();
        p.config["module"] = kModuleFile;
        p.latent = {{"dimension", signature->latentDims()},
                    {"rate_hz", signature->latentRateHz()},
                    {"kind", "trajectory"}};
        return p;
    }

    std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) override {
        const std::string module = package.config.value("module", std::string(kModuleFile));
        bool listed = false;
        for (const auto& f : package.files) listed |= f.path == module;
        if (!listed)
            throw Error(ErrorKind::ModelPackage, package.dir.string() + "/model.json: config.module names '" + module +
                                                     "', which is not among the package's files");
        const fs::path path = package.dir / module;
        torch::jit::Module m = loadModule(path, context.device());
        m.eval();
        auto signature = readRaveSignature(m, path.filename().string());
        if (!signature)
            throw Error(ErrorKind::Format, path.string() + " exports neither encode nor decode: it is not a RAVE / nn~ export");
        return std::make_unique<RaveModel>(RaveModule(std::move(m), *signature, context.device()));
    }
};

}  // namespace
}  // namespace latent

LATENT_DEFINE_PLUGIN("audio-rave", "RAVE / nn~ audio models", "1.0.0", latent::RaveFamily)
