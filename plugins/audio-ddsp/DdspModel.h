#pragma once
// A loaded audio-ddsp package running audio.sample (class, pitch, velocity,
// a latent from the seed or the prior, or the one the sliders send),
// audio.decode (a given latent) and, for the VAE, audio.transfer (a one-shot
// re-synthesised as another class or pitch).
#include <cstdint>
#include <mutex>
#include <optional>

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
    // vq: the prior's last draw. A slider drag decodes the same class, pitch,
    // velocity and seed again and again with another class embedding; the
    // codes (an autoregressive draw, most of a decode's time) do not depend on
    // it, so they are reused with the generator state the draw left, and the
    // sound is bit for bit what a fresh draw would give.
    struct CodeDraw {
        std::int64_t cls = -1, pitch = 0, velocity = 0;
        std::uint64_t seed = 0;
        double temperature = 0;
        int topK = 0;
        bool operator==(const CodeDraw&) const = default;
    };
    std::mutex m_drawMutex;
    std::optional<CodeDraw> m_draw;
    at::Tensor m_drawCodes;
    at::Tensor m_drawState;  // the generator's state after the draw

    DdspNet m_net;
    CodePrior m_prior;
    std::string m_device;
    LogMel m_mel;
    std::size_t m_bytes = 0;
};

}  // namespace latent::ddsp
