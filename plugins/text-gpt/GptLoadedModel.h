#pragma once
// A loaded text model as the engine runs it: generate, complete and score
// jobs, each with its own TextGenerator (run state) over shared weights.
#include <memory>

#include "GptModel.h"
#include "latent/plugin/LoadedModel.h"

namespace latent::gpt {

class GptLoadedModel final : public LoadedModel {
public:
    explicit GptLoadedModel(std::shared_ptr<const GptModel> model) : m_model(std::move(model)) {}

    std::size_t memoryBytes() const override { return m_model->memoryBytes(); }
    std::string dtype() const override { return m_model->dtypeName(); }
    void run(JobContext& ctx) override;

    const GptModel& model() const { return *m_model; }

private:
    void generate(JobContext& ctx);
    void score(JobContext& ctx);

    std::shared_ptr<const GptModel> m_model;
};

}  // namespace latent::gpt
