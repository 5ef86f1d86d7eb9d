#pragma once
#include <string>

#include "latent/ParamSpec.h"

namespace latent {

// A task a family can run (e.g. "image.sample") with the parameters it takes.
struct TaskInfo {
    std::string id;     // "image.sample", "text.generate", ...
    std::string label;  // "Sample images"
    ParamSchema params;
};

// The modality a task belongs to: the text before the first '.'.
std::string taskModality(const std::string& task);

}  // namespace latent
