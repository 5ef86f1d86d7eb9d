#pragma once
// `latent-studio train audio --family ddsp`: builds the labelled one-shot data
// set, trains the autoencoder (and, for the VQ bottleneck, the prior over its
// codes), measures it with a classifier trained on real clips, and writes the
// package (weights, slider directions, model card). Resumable; cancellable.
#include "latent/JobContext.h"
#include "latent/TaskInfo.h"

namespace latent::ddsp {

TaskInfo ddspTrainTask();
void runDdspTraining(JobContext& ctx);

}  // namespace latent::ddsp
