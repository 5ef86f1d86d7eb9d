#include "WeightCount.h"

#include "latent/Error.h"
#include "latent/formats/Safetensors.h"

namespace latent::image {

std::int64_t weightValueCount(const SafetensorsFile& file) {
    std::int64_t total = 0;
    for (const auto& t : file.tensors()) total += t.numel();
    return total;
}

void requireWeightsFitConfig(std::int64_t configValues, std::int64_t fileValues, const std::string& source) {
    // A smaller network costs no more than the file: it is built, and the
    // loader names the tensor and both shapes that disagree.
    if (configValues > fileValues)
        throw Error(ErrorKind::ModelPackage,
                    source + ": the config describes a network of " + std::to_string(configValues) +
                        " values, more than the " + std::to_string(fileValues) +
                        " the weights hold (the config or the weights file is from another model)");
}

}  // namespace latent::image
