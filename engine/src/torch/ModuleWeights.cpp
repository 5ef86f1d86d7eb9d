#include "latent/plugin/torch/ModuleWeights.h"

#include <set>

#include <ATen/ATen.h>

#include "latent/Error.h"
#include "latent/plugin/torch/SafetensorsTorch.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent {

std::map<std::string, at::Tensor> moduleWeights(const torch::nn::Module& module) {
    std::map<std::string, at::Tensor> out;
    for (const auto& p : module.named_parameters(true)) out[p.key()] = p.value();
    for (const auto& b : module.named_buffers(true)) out[b.key()] = b.value();
    return out;
}

void loadModuleWeights(torch::nn::Module& module, const std::map<std::string, at::Tensor>& weights,
                       const std::string& source) {
    const auto mine = moduleWeights(module);
    std::vector<std::string> missing;
    for (const auto& [name, t] : mine)
        if (!weights.count(name)) missing.push_back(name);
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
        if (missing.size() > 5) list += ", … (" + std::to_string(missing.size()) + " in all)";
        throw Error(ErrorKind::ModelPackage, source + " lacks weights this model needs: " + list);
    }
    for (const auto& [name, t] : weights)
        if (!mine.count(name))
            throw Error(ErrorKind::ModelPackage, source + " holds a tensor '" + name +
                                                     "' this model does not have (another architecture or config?)");
    at::NoGradGuard noGrad;
    for (const auto& [name, target] : mine) {
        const at::Tensor& source_tensor = weights.at(name);
        if (!source_tensor.sizes().equals(target.sizes()))
            throw Error(ErrorKind::ModelPackage, source + ": tensor '" + name + "' has shape " +
                                                     tensorShapeText(source_tensor) + ", the model expects " +
                                                     tensorShapeText(target));
        const at::Tensor converted = source_tensor.to(target.device(), target.scalar_type());
        if (converted.is_floating_point() && !at::isfinite(converted).all().item<bool>())
            throw Error(ErrorKind::ModelPackage, source + ": tensor '" + name + "' holds NaN or infinite values");
        at::Tensor dst = target;  // shares storage with the module's tensor
        dst.copy_(converted);
    }
}

void loadModuleWeightsFile(torch::nn::Module& module, const std::filesystem::path& file) {
    const SafetensorsFile st(file);
    loadModuleWeights(module, loadSafetensorsTensors(st, "cpu"), file.string());
}

void saveModuleWeightsFile(const torch::nn::Module& module, const std::filesystem::path& file,
                           const std::map<std::string, std::string>& metadata) {
    std::map<std::string, at::Tensor> cpu;
    for (const auto& [name, t] : moduleWeights(module)) cpu[name] = t.detach().to(at::kCPU).contiguous();
    saveSafetensorsTensors(file, cpu, metadata);
}

}  // namespace latent
