#pragma once
// What the image panel keeps per canvas cell, so each image can be edited,
// re-rendered, interpolated and exported with its own latent.
#include <QImage>
#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "latent/ParamValue.h"
#include "latent/Provenance.h"

namespace latent {

struct LatentImage {
    QImage image;
    QString modelId;                      // the model whose latent space `latent` lives in
    std::vector<float> latent;            // the current latent (empty: not editable)
    std::vector<float> shownLatent;       // the latent `image` was drawn from; differs while a render is due
    std::vector<float> base;              // where the slider edits start
    std::vector<double> sliders;          // one value per direction of the model's set
    std::map<std::string, double> scores; // "bits_per_dim", "elbo_nats", ...
    std::uint64_t seed = 0;
    int batchIndex = 0;                   // position in the job that made it
    ParamMap params;                      // of that job (TorchScript re-renders reuse them)
    Provenance provenance;                // of that job; empty model id when unknown
    QString origin;                       // "seed 1234", "encoded from cat.png"
    bool final = true;                    // false while an encoder is still refining it

    bool editable() const { return !latent.empty() && !modelId.isEmpty(); }
};

}  // namespace latent
