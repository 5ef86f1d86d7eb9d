#pragma once
// A split of the one-shot data set as tensors for training and evaluation.
#include <ATen/core/Tensor.h>

#include "AudioDataset.h"

namespace latent::ddsp {

struct TrainingData {
    audio::AudioDataset meta;  // names, credits, notices (examples' samples moved out)
    at::Tensor audio;          // float [N, clipFrames]
    at::Tensor classes;        // int64 [N]
    at::Tensor pitch;          // int64 [N], -1 unpitched
    at::Tensor velocity;       // int64 [N]

    std::int64_t size() const { return audio.defined() ? audio.size(0) : 0; }
};

TrainingData toTensors(audio::AudioDataset data);

}  // namespace latent::ddsp
