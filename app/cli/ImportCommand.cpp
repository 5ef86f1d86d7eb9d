// `import`: wrap a Hugging Face model folder or a TorchScript generator in a
// model package, then prove it runs with one test job through the real plugin.
#include <filesystem>
#include <iostream>

#include "cli/CliMain.h"
#include "cli/CliSink.h"
#include "cli/Commands.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/FileImport.h"
#include "latent/FolderImport.h"
#include "latent/PluginHost.h"
#include "latent/ModelRegistry.h"
#include "latent/StudioPaths.h"
#include "latent/TaskInfo.h"
#include "latent/TorchScriptImport.h"

namespace fs = std::filesystem;

namespace latent::cli {

namespace {

// Runs one test job on the new package; a package that cannot run is removed
// again. Returns the finished sink, or null after printing the error.
std::shared_ptr<CliSink> checkRuns(Engine& engine, const ModelPackage& package, const fs::path& root, JobRequest check,
                                   bool (*produced)(const CliSink&), const char* nothing) {
    engine.models().addRoot(root);
    check.modelId = package.id;
    check.seed = 0;
    // A smoke test of the import, not a result the user asked for.
    check.record = false;
    auto sink = std::make_shared<CliSink>(false);
    check.sink = sink;
    const JobId id = engine.submit(check);
    engine.wait(id, std::chrono::minutes(10));
    std::lock_guard lock(sink->mutex);
    if (sink->state != JobState::Finished || !produced(*sink)) {
        std::error_code ec;
        fs::remove_all(package.dir, ec);  // do not leave a package that cannot run
        std::cerr << "error: the imported model does not run: " << (sink->error.empty() ? nothing : sink->error)
                  << "\n";
        return nullptr;
    }
    return sink;
}

int importFolder(Engine& engine, const ImportArgs& args) {
    FolderImportOptions o;
    o.folder = args.file;
    o.name = args.name;
    o.id = args.id.value_or("");
    o.copy = args.copy;
    if (!args.dtype.empty()) o.config["dtype"] = args.dtype;
    o.destRoot = args.outDir.empty() ? StudioPaths::userModelDir() : fs::path(args.outDir);
    o.createDestRoot = args.outDir.empty();
    const ModelPackage package = importModelFolder(engine.plugins(), o);
    if (!args.skipCheck) {
        JobRequest check;
        check.task = package.tasks.empty() ? "" : package.tasks.front();
        check.inputs.prompt = "Hello";
        check.params = {{"max_new_tokens", std::int64_t(4)}, {"temperature", 0.0}};
        const auto sink = checkRuns(engine, package, o.destRoot, check, [](const CliSink&) { return true; }, "");
        if (!sink) return ModelError;
        std::lock_guard lock(sink->mutex);
        std::cerr << "test generation OK: \"Hello\" -> \"" << sink->text << "\"\n";
    }
    std::cout << package.id << "\t" << package.dir.string() << "\n";
    return Ok;
}

// A file a plugin recognises by itself (a RAVE / nn~ export): no flags.
int importFile(Engine& engine, const ImportArgs& args) {
    FileImportOptions o;
    o.file = args.file;
    o.name = args.name;
    o.id = args.id.value_or("");
    o.destRoot = args.outDir.empty() ? StudioPaths::userModelDir() : fs::path(args.outDir);
    o.createDestRoot = args.outDir.empty();
    std::string asked;
    if (!describeModelFile(engine.plugins(), o.file, &asked))
        throw Error(ErrorKind::BadArgument,
                    args.file + " is not a model file any plugin recognises (asked: " + asked +
                        "). A RAVE / nn~ audio export needs exported encode and decode methods, their "
                        "encode_params and decode_params buffers and an sr attribute; for a TorchScript image "
                        "generator give --latent-dim (the size of z)");
    const ModelPackage package = importModelFile(engine.plugins(), o);
    if (!args.skipCheck) {
        JobRequest check;
        check.task = package.tasks.empty() ? "" : package.tasks.front();
        if (taskModality(check.task) == "audio") check.params = {{"duration_s", 0.5}};
        const auto sink = checkRuns(engine, package, o.destRoot, check,
                                    [](const CliSink& s) { return s.audio.frames() > 0 || !s.images.empty() || !s.text.empty(); },
                                    "it produced nothing");
        if (!sink) return ModelError;
        std::lock_guard lock(sink->mutex);
        if (sink->audio.frames() > 0)
            std::cerr << "test sample OK: " << sink->audio.seconds() << " s at " << sink->audio.sampleRateHz << " Hz, "
                      << sink->audio.channels << " channel(s)\n";
    }
    std::cout << package.id << "\t" << package.dir.string() << "\n";
    return Ok;
}

}  // namespace

int importModel(Engine& engine, const ImportArgs& args) {
    // An id given is checked where the package is made (freePackageId); an
    // empty one would silently mean "derive it", so it is refused here.
    if (args.id && args.id->empty()) throw Error(ErrorKind::BadArgument, "--id must not be empty");
    if (fs::is_directory(args.file)) return importFolder(engine, args);
    if (args.latentDim <= 0) return importFile(engine, args);
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
    o.id = args.id.value_or("");
    o.destRoot = args.outDir.empty() ? StudioPaths::userModelDir() : fs::path(args.outDir);
    o.createDestRoot = args.outDir.empty();
    const ModelPackage package = importTorchScript(o);

    if (!args.skipCheck) {
        const auto sink = checkRuns(engine, package, o.destRoot, JobRequest{},
                                    [](const CliSink& s) { return !s.images.empty(); }, "it produced no image");
        if (!sink) return ModelError;
        std::lock_guard lock(sink->mutex);
        const auto& f = sink->images.begin()->second;
        std::cerr << "test sample OK: " << f.width << "x" << f.height << "\n";
    }
    std::cout << package.id << "\t" << package.dir.string() << "\n";
    return Ok;
}

}  // namespace latent::cli
