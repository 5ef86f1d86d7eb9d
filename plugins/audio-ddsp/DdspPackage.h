#pragma once
// Writes the finished audio-ddsp package: weights, slider directions,
// model.json (config, tasks, latent, licences, provenance with the metrics)
// and the model card crediting every data source.
#include "CodePrior.h"
#include "DdspEvaluation.h"
#include "DdspNet.h"
#include "DdspSettings.h"
#include "TrainingData.h"
#include "latent/JobContext.h"

namespace latent::ddsp {

void writeDdspPackage(JobContext& ctx, DdspNet& net, CodePrior* prior, const TrainingData& train,
                      const TrainingData& test, const Evaluation& eval, const DdspSettings& s, std::int64_t steps,
                      std::int64_t priorSteps, double wallSeconds);

// The tensors a package stores, named as DdspModel loads them.
std::map<std::string, at::Tensor> ddspWeights(DdspNet& net, CodePrior* prior);

}  // namespace latent::ddsp
