#pragma once
// Checks a package's weights against its config before the network is built:
// building allocates every parameter, so a typo in model.json (or a hostile
// one) must not cost gigabytes before the mismatch shows.
#include <cstdint>
#include <filesystem>
#include <string>

namespace latent {
class SafetensorsFile;
}

namespace latent::image {

// Values (elements) the file's tensors hold, from its header alone.
std::int64_t weightValueCount(const SafetensorsFile& file);

// Error(ModelPackage) naming `source` when the network the config describes
// would hold more parameters and buffers (`configValues`) than the file's
// `fileValues`: building it would allocate more than the weights justify.
void requireWeightsFitConfig(std::int64_t configValues, std::int64_t fileValues, const std::string& source);

}  // namespace latent::image
