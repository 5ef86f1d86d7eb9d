#pragma once
// The code for one model family, as a plugin provides it.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "latent/ModelPackage.h"
#include "latent/TaskInfo.h"
#include "latent/plugin/LoadContext.h"
#include "latent/plugin/LoadedModel.h"

namespace latent {

class ModelFamily {
public:
    virtual ~ModelFamily() = default;
    virtual std::vector<TaskInfo> tasks() const = 0;
    // Loads the package's weights onto context.device() ("cpu", "cuda:0"),
    // with the packages it requires from the context; runs on a worker
    // thread. Throws Error(ModelPackage|Format) naming what is wrong.
    virtual std::unique_ptr<LoadedModel> load(const ModelPackage& package, LoadContext& context) = 0;

    // Training is a job too (DESIGN §2). A family that can train a new model
    // package from data returns its "train" task and parameter schema.
    virtual std::optional<TaskInfo> trainTask() const { return std::nullopt; }
    // Runs as a job on a worker thread, with params validated against
    // trainTask(): checks ctx.stopRequested() every batch, checkpoints, and
    // writes the finished package. The default throws Error(Unsupported).
    virtual void train(JobContext& ctx);

    // A family that runs models kept in a foreign layout (a Hugging Face
    // folder) describes such a folder as a package: family, tasks, name,
    // config and the files it needs (paths relative to `dir`; sizes and
    // hashes are filled in by the importer). Returns nullopt when the folder
    // is not its kind; throws Error naming the problem when it is but cannot
    // run (unsupported architecture, malformed config).
    virtual std::optional<ModelPackage> describeFolder(const std::filesystem::path& dir) const {
        (void)dir;
        return std::nullopt;
    }

    // The same for one file a community shares models as (a RAVE TorchScript
    // export, a GGUF file): the package lists `file.filename()` among its
    // files and the importer copies it in. nullopt: not this family's kind;
    // Error naming what is missing: its kind but unusable (ABI 5).
    virtual std::optional<ModelPackage> describeFile(const std::filesystem::path& file) const {
        (void)file;
        return std::nullopt;
    }
};

}  // namespace latent
