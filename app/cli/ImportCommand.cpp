// `import`: wrap a TorchScript generator in a model package, then prove it
// runs by generating one test sample through the real plugin.
#include <filesystem>
#include <iostream>

#include "cli/CliMain.h"
#include "cli/CliSink.h"
#include "cli/Commands.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/ModelRegistry.h"
#include "latent/StudioPaths.h"
#include "latent/TorchScriptImport.h"

namespace fs = std::filesystem;

namespace latent::cli {

int importModel(Engine& engine, const ImportArgs& args) {
    TorchScriptImportOptions o;
    o.file = args.file;
    o.latentDim = args.latentDim;
    o.numClasses = args.classes;
    const auto comma = args.range.find(',');
    try {
        if (comma == std::string::npos) throw std::invalid_argument("no comma");
        std::size_t used = 0;
        o.rangeLow = std::stod(args.range.substr(0, comma), &used);
        o.rangeHigh = std::stod(args.range.substr(comma + 1));
    } catch (const std::exception&) {
        throw Error(ErrorKind::BadArgument, "--range expects lo,hi (e.g. -1,1), got '" + args.range + "'");
    }
    o.name = args.name;
    o.id = args.id;
    o.destRoot = args.outDir.empty() ? StudioPaths::userModelDir() : fs::path(args.outDir);
    const ModelPackage package = importTorchScript(o);

    if (!args.skipCheck) {
        engine.models().addRoot(o.destRoot);
        JobRequest check;
        check.modelId = package.id;
        check.seed = 0;
        auto sink = std::make_shared<CliSink>(false);
        check.sink = sink;
        const JobId id = engine.submit(check);
        engine.wait(id, std::chrono::minutes(10));
        std::lock_guard lock(sink->mutex);
        if (sink->state != JobState::Finished || sink->images.empty()) {
            std::error_code ec;
            fs::remove_all(package.dir, ec);  // do not leave a package that cannot run
            std::cerr << "error: the imported model does not run: "
                      << (sink->error.empty() ? "it produced no image" : sink->error) << "\n";
            return ModelError;
        }
        const auto& f = sink->images.begin()->second;
        std::cerr << "test sample OK: " << f.width << "x" << f.height << "\n";
    }
    std::cout << package.id << "\t" << package.dir.string() << "\n";
    return Ok;
}

}  // namespace latent::cli
