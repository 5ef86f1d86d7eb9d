#include "GptModel.h"

#include <algorithm>

#include <torch/torch.h>

#include "CpuDecoder.h"
#include "HuggingFaceFolder.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/plugin/torch/SafetensorsTorch.h"
#include "latent/text/TokenizerFolder.h"

namespace fs = std::filesystem;

namespace latent::gpt {
namespace {

// Refused before the weights go anywhere: NaN weights would write NUL
// bytes, token after token, and look like a working model.
void requireFinite(const std::map<std::string, at::Tensor>& tensors, const fs::path& file) {
    for (const auto& [name, t] : tensors)
        if (t.is_floating_point() && !at::isfinite(t).all().item<bool>())
            throw Error(ErrorKind::ModelPackage, file.string() + ": tensor '" + name + "' holds NaN or infinite values");
}

}  // namespace

std::shared_ptr<GptModel> GptModel::loadFolder(const fs::path& dir, const std::string& device, const std::string& dtype,
                                               std::vector<std::string> weightFiles) {
    auto m = std::make_shared<GptModel>();
    const fs::path configFile = dir / "config.json";
    m->config = TransformerConfig::fromHuggingFace(readJsonFile(configFile, ErrorKind::ModelPackage, {1u << 20, 32}),
                                                   configFile.string());
    if (weightFiles.empty()) weightFiles = huggingFaceWeightFiles(dir);
    text::TokenizerFolder tok = text::loadTokenizerFolder(dir);
    m->tokenizer = tok.tokenizer;
    m->addBos = tok.addBos;
    if (m->tokenizer->vocabSize() > m->config.vocabSize)
        throw Error(ErrorKind::ModelPackage, dir.string() + ": the tokenizer has " +
                                                 std::to_string(m->tokenizer->vocabSize()) +
                                                 " tokens but the model's vocabulary only " +
                                                 std::to_string(m->config.vocabSize));

    torch::Device dev("cpu");
    try {
        dev = torch::Device(device);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Device, "unknown device '" + device + "'");
    }
    m->device = device;
    const bool int8 = dtype == "int8";
    if (dtype == "auto") m->dtype = dev.is_cpu() ? at::kFloat : at::kBFloat16;
    else if (dtype == "float32" || int8) m->dtype = at::kFloat;
    else if (dtype == "float16") m->dtype = at::kHalf;
    else if (dtype == "bfloat16") m->dtype = at::kBFloat16;
    else throw Error(ErrorKind::BadArgument, "unknown dtype '" + dtype + "' (float32, float16, bfloat16, int8, auto)");
    if (dev.is_cpu() && m->dtype != at::kFloat)
        throw Error(ErrorKind::BadArgument, "half precision runs on CUDA only; the CPU runs float32 or int8");
    if (int8 && !dev.is_cpu())
        throw Error(ErrorKind::BadArgument, "8-bit weights run on the CPU; on CUDA use float16 or bfloat16");

    std::map<std::string, at::Tensor> tensors;
    for (const auto& file : weightFiles) {
        const SafetensorsFile st(dir / file);
        auto loaded = loadSafetensorsTensors(st, "cpu");
        requireFinite(loaded, dir / file);
        for (auto& [name, t] : loaded) tensors[name] = std::move(t);
    }
    std::vector<std::string> unused;
    m->weights = TransformerWeights::fromHuggingFace(std::move(tensors), m->config, dir.string(), &unused);
    if (!unused.empty()) {
        std::string names;
        for (std::size_t i = 0; i < unused.size() && i < 5; ++i) names += (i ? ", " : "") + unused[i];
        m->notices.push_back(std::to_string(unused.size()) + " tensors in the weights are not used by the " +
                             m->config.archName() + " architecture (" + names + (unused.size() > 5 ? ", …" : "") + ")");
    }
    try {
        m->weights.convert(at::TensorOptions().dtype(m->dtype).device(dev));
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Device, "cannot load the model onto '" + device + "': " + e.what_without_backtrace());
    }
    if (int8) m->q8 = std::make_shared<const Q8Weights>(Q8Weights::quantize(m->weights, m->config));
    if (dev.is_cpu() && m->dtype == at::kFloat)
        m->cpuDecoder = std::make_shared<CpuDecoder>(m->config, m->weights, m->q8.get());
    return m;
}

std::size_t GptModel::memoryBytes() const { return weights.bytes() + (q8 ? q8->bytes() : 0); }

std::string GptModel::dtypeName() const {
    if (q8) return "int8";
    return dtype == at::kFloat ? "float32" : dtype == at::kHalf ? "float16" : "bfloat16";
}

}  // namespace latent::gpt
