#pragma once
// The LoadedModel behind every latent-space image family. Tasks:
//   image.sample  params batch, class (class-conditional models) and the
//                 family's own (temperature, truncation); inputs.latent, when
//                 given (a multiple of D values), replaces the sampled latents.
//   image.decode  inputs.latent: N×D values -> N images (sliders, interpolation).
//   image.encode  inputs.image -> its latent, streamed as the reconstruction
//                 (iterative encoders stream every step); scores are the input's.
// Every frame carries its latent and the family's scores.

#include <memory>
#include <vector>

#include "LatentImageNet.h"
#include "latent/TaskInfo.h"
#include "latent/plugin/LoadedModel.h"

namespace latent::image {

class LatentImageModel final : public LoadedModel {
public:
    LatentImageModel(std::unique_ptr<LatentImageNet> net, std::string device);
    std::size_t memoryBytes() const override;
    void run(JobContext& ctx) override;

    LatentImageNet& net() { return *m_net; }

private:
    void sample(JobContext& ctx);
    void decode(JobContext& ctx);
    void encode(JobContext& ctx);
    at::Tensor latentsFromInputs(JobContext& ctx, bool required);
    void emitImages(JobContext& ctx, const at::Tensor& images, const at::Tensor& latents,
                    const std::map<std::string, at::Tensor>& scores, int step, int totalSteps, bool final);

    std::unique_ptr<LatentImageNet> m_net;
    std::string m_device;
};

// The task schemas shared by the families; `extraSample` holds the family's
// own sampling parameters (temperature or truncation).
TaskInfo sampleTask(bool conditional, std::int64_t numClasses, std::vector<ParamSpec> extraSample);
TaskInfo decodeTask();
TaskInfo encodeTask(std::vector<ParamSpec> extra = {});

}  // namespace latent::image
