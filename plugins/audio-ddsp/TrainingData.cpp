#include "TrainingData.h"

#include <ATen/ATen.h>

#include "latent/Error.h"

namespace latent::ddsp {

TrainingData toTensors(audio::AudioDataset data) {
    const std::int64_t n = data.size(), frames = data.clipFrames;
    if (n == 0) throw Error(ErrorKind::BadArgument, "the data set is empty");
    TrainingData t;
    t.audio = at::zeros({n, frames}, at::kFloat);  // short clips end in silence
    t.classes = at::empty({n}, at::kLong);
    t.pitch = at::empty({n}, at::kLong);
    t.velocity = at::empty({n}, at::kLong);
    float* a = t.audio.data_ptr<float>();
    for (std::int64_t i = 0; i < n; ++i) {
        auto& e = data.examples[std::size_t(i)];
        std::copy_n(e.samples.data(), std::min<std::int64_t>(frames, std::int64_t(e.samples.size())), a + i * frames);
        t.classes[i] = e.classId;
        t.pitch[i] = e.midiPitch;
        t.velocity[i] = std::max(1, e.velocity);
        std::vector<float>().swap(e.samples);
    }
    t.meta = std::move(data);
    return t;
}

}  // namespace latent::ddsp
