#pragma once
// A loaded RAVE / nn~ export running the audio.* tasks: sample (a random or
// prior latent path), transfer (input → encode → edit → decode), encode (the
// latent path of a clip) and decode (a given path).
#include <mutex>

#include "LatentRenderer.h"
#include "RaveModule.h"
#include "latent/plugin/LoadedModel.h"

namespace latent {

class RaveModel final : public LoadedModel {
public:
    explicit RaveModel(RaveModule module) : m_module(std::move(module)) {}

    std::size_t memoryBytes() const override { return m_module.memoryBytes(); }
    void run(JobContext& ctx) override;

private:
    void sample(JobContext& ctx, const LatentEdit& edit);
    void transfer(JobContext& ctx, const LatentEdit& edit, bool decode);
    void decode(JobContext& ctx, const LatentEdit& edit);
    std::unique_ptr<AudioSource> inputSource(JobContext& ctx);

    // A streaming export's cache buffers are state: one job at a time.
    std::mutex m_mutex;
    RaveModule m_module;
};

}  // namespace latent
