#pragma once
// The code for one model family, as a plugin provides it.
#include <memory>
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
};

}  // namespace latent
