#include "latent/plugin/torch/SafetensorsTorch.h"

#include <ATen/ATen.h>

#include <bit>
#include <cstring>
#include <vector>

#include "latent/Error.h"

namespace latent {
namespace {

// safetensors stores little-endian data; copying bytes as-is relies on that.
static_assert(std::endian::native == std::endian::little,
              "safetensors byte copies assume a little-endian host");

at::ScalarType toScalarType(TensorDType dtype) {
    switch (dtype) {
        case TensorDType::F32: return at::kFloat;
        case TensorDType::F16: return at::kHalf;
        case TensorDType::BF16: return at::kBFloat16;
        case TensorDType::I32: return at::kInt;
        case TensorDType::I64: return at::kLong;
        case TensorDType::U8: return at::kByte;
        case TensorDType::Invalid: break;
    }
    return at::ScalarType::Undefined;
}

TensorDType fromScalarType(at::ScalarType type) {
    switch (type) {
        case at::kFloat: return TensorDType::F32;
        case at::kHalf: return TensorDType::F16;
        case at::kBFloat16: return TensorDType::BF16;
        case at::kInt: return TensorDType::I32;
        case at::kLong: return TensorDType::I64;
        case at::kByte: return TensorDType::U8;
        default: return TensorDType::Invalid;
    }
}

}  // namespace

std::map<std::string, at::Tensor> loadSafetensorsTensors(const SafetensorsFile& file,
                                                         const std::string& device) {
    at::Device target(at::kCPU);
    try {
        target = at::Device(device);
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Device, "unknown device \"" + device + "\": " + e.what_without_backtrace());
    }

    std::map<std::string, at::Tensor> out;
    for (const TensorView& view : file.tensors()) {
        const at::ScalarType type = toScalarType(view.dtype);
        if (type == at::ScalarType::Undefined)  // SafetensorsFile validated already; guards misuse
            throw Error(ErrorKind::Format, file.path().string() + ": tensor \"" + view.name +
                                               "\" has dtype " + dtypeName(view.dtype));
        // Copy rather than wrap: the mapping may be unaligned for the dtype and
        // dies with the file, while the tensors must outlive it.
        at::Tensor tensor = at::empty(view.shape, at::TensorOptions().dtype(type).device(at::kCPU));
        if (view.bytes != static_cast<std::size_t>(tensor.nbytes()))
            throw Error(ErrorKind::Format, file.path().string() + ": tensor \"" + view.name + "\" holds " +
                                               std::to_string(view.bytes) + " bytes, expected " +
                                               std::to_string(tensor.nbytes()));
        if (view.bytes > 0) std::memcpy(tensor.data_ptr(), view.data, view.bytes);
        if (!target.is_cpu()) {
            try {
                tensor = tensor.to(target);
            } catch (const c10::Error& e) {
                throw Error(ErrorKind::Device, "cannot move tensor \"" + view.name + "\" to " + device +
                                                   ": " + e.what_without_backtrace());
            }
        }
        out.emplace(view.name, std::move(tensor));
    }
    return out;
}

void saveSafetensorsTensors(const std::filesystem::path& path,
                            const std::map<std::string, at::Tensor>& tensors,
                            const std::map<std::string, std::string>& metadata) {
    // Keep the CPU copies alive until writeSafetensors has read them.
    std::vector<at::Tensor> keep;
    keep.reserve(tensors.size());
    std::vector<TensorToWrite> toWrite;
    toWrite.reserve(tensors.size());
    for (const auto& [name, tensor] : tensors) {
        if (!tensor.defined())
            throw Error(ErrorKind::BadArgument,
                        "cannot write " + path.string() + ": tensor \"" + name + "\" is undefined");
        const TensorDType dtype = fromScalarType(tensor.scalar_type());
        if (dtype == TensorDType::Invalid)
            throw Error(ErrorKind::BadArgument, "cannot write " + path.string() + ": tensor \"" + name +
                                                    "\" has dtype " +
                                                    std::string(c10::toString(tensor.scalar_type())) +
                                                    " (supported: F32 F16 BF16 I32 I64 U8)");
        at::Tensor cpu = tensor.detach().to(at::kCPU).contiguous();
        TensorToWrite t;
        t.name = name;
        t.dtype = dtype;
        t.shape.assign(cpu.sizes().begin(), cpu.sizes().end());
        t.data = cpu.data_ptr();
        toWrite.push_back(std::move(t));
        keep.push_back(std::move(cpu));
    }
    writeSafetensors(path, toWrite, metadata);
}

}  // namespace latent
