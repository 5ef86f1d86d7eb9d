#pragma once
// The code for one model family, as a plugin provides it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "latent/ModelPackage.h"
#include "latent/TaskInfo.h"
#include "latent/plugin/LoadedModel.h"

namespace latent {

class ModelFamily {
public:
    virtual ~ModelFamily() = default;
    virtual std::vector<TaskInfo> tasks() const = 0;
    // Loads the package's weights onto `device` ("cpu", "cuda:0"); runs on a
    // worker thread. Throws Error(ModelPackage|Format) naming what is wrong.
    virtual std::unique_ptr<LoadedModel> load(const ModelPackage& package,
                                              const std::string& device) = 0;

    // Training is a job too (DESIGN §2). A family that can train a new model
    // package from data returns its "train" task and parameter schema.
    virtual std::optional<TaskInfo> trainTask() const { return std::nullopt; }
    // Runs as a job on a worker thread, with params validated against
    // trainTask(): checks ctx.stopRequested() every batch, checkpoints, and
    // writes the finished package. The default throws Error(Unsupported).
    virtual void train(JobContext& ctx);
};

}  // namespace latent
