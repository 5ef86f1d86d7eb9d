#include "latent/TaskInfo.h"

namespace latent {

std::string taskModality(const std::string& task) {
    const auto dot = task.find('.');
    return dot == std::string::npos ? task : task.substr(0, dot);
}

}  // namespace latent
