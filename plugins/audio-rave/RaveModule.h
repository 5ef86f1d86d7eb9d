#pragma once
// A loaded nn~ export: calls its methods with the shapes the convention
// promises, and turns anything else (a throw, a wrong shape, NaN) into a
// readable Error instead of garbage at the speakers.
#include <string>

#include <torch/script.h>

#include "RaveSignature.h"

namespace latent {

class RaveModule {
public:
    RaveModule(torch::jit::Module module, RaveSignature signature, std::string device);

    const RaveSignature& signature() const { return m_signature; }
    const std::string& device() const { return m_device; }
    std::size_t memoryBytes() const { return m_bytes; }

    // audio [1, inChannels, n·hop] → latent [1, dims, n]
    at::Tensor encode(const at::Tensor& audio);
    // latent [1, dims, n] → audio [1, channels, n·hop]
    at::Tensor decode(const at::Tensor& latent);
    // temperature signal [1, inChannels, n·ratio_in] → latent [1, dims, n]
    at::Tensor prior(const at::Tensor& temperature);

    // Streaming exports remember the previous block in cache buffers; each
    // job starts from silence, so the same request gives the same sound.
    void resetState();

private:
    at::Tensor call(const char* method, const RaveMethod& params, const at::Tensor& input);

    torch::jit::Module m_module;
    RaveSignature m_signature;
    std::string m_device;
    std::size_t m_bytes = 0;
};

}  // namespace latent
