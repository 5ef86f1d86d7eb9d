#pragma once
// The model card's measurements on held-out data (issue "Quality"): class
// accuracy of generated clips by a classifier trained on real ones (beside its
// accuracy on real held-out clips), pitch accuracy of generated notes (f0
// within ±50 cents; beside the real renders'), and a Fréchet distance on the
// classifier's embeddings between generated and real held-out clips (beside
// the real-vs-real floor).
#include <map>
#include <string>

#include "CodePrior.h"
#include "DdspNet.h"
#include "DdspSettings.h"
#include "TrainingData.h"
#include "latent/JobContext.h"

namespace latent::ddsp {

struct Evaluation {
    std::map<std::string, double> metrics;
    at::Tensor trainLatents;  // vae: posterior means [N, latentDim] of the training clips
    at::Tensor centroids;     // spectral centroid (Hz) of each training clip
};

Evaluation evaluate(JobContext& ctx, DdspNet& net, CodePrior* prior, const TrainingData& train,
                    const TrainingData& test, const DdspSettings& s);

}  // namespace latent::ddsp
