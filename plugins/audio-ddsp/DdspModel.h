#pragma once
// A loaded audio-ddsp package running audio.sample (class, pitch, velocity,
// a latent from the seed or the prior, or the one the sliders send),
// audio.decode (a given latent) and, for the VAE, audio.transfer (a one-shot
// re-synthesised as another class or pitch).
#include <mutex>

#include "CodePrior.h"
#include "DdspNet.h"
#include "LogMel.h"
#include "latent/plugin/LoadedModel.h"

namespace latent::ddsp {

class DdspModel final : public LoadedModel {
public:
    DdspModel(DdspNet net, CodePrior prior, std::string device);

    std::size_t memoryBytes() const override { return m_bytes; }
    void run(JobContext& ctx) override;

private:
    DdspNet m_net;
    CodePrior m_prior;
    std::string m_device;
    LogMel m_mel;
    std::size_t m_bytes = 0;
};

}  // namespace latent::ddsp
