#include "DdspEvaluation.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "AudioClassifier.h"
#include "AudioFeatures.h"
#include "DdspGenerator.h"
#include "LogMel.h"
#include "SpectralLoss.h"

namespace latent::ddsp {
namespace {

constexpr std::int64_t kBatch = 64;

// f(batch of rows [i, i+len)) for every batch, results concatenated.
template <class F>
at::Tensor batched(std::int64_t n, F f) {
    std::vector<at::Tensor> parts;
    for (std::int64_t i = 0; i < n; i += kBatch) parts.push_back(f(i, std::min(kBatch, n - i)).to(at::kCPU));
    return at::cat(parts);
}

// Share of pitched clips whose f0 is within ±50 cents of the requested pitch.
double pitchAccuracy(const at::Tensor& audio, const at::Tensor& pitch, int rate, std::int64_t* counted) {
    std::int64_t hits = 0, total = 0;
    const at::Tensor a = audio.contiguous();
    for (std::int64_t i = 0; i < a.size(0); ++i) {
        const auto midi = pitch[i].item<std::int64_t>();
        if (midi < 0) continue;
        ++total;
        const double f0 = audio::estimateF0(a[i].data_ptr<float>(), int(a.size(1)), rate);
        if (f0 > 0 && std::abs(audio::centsBetween(f0, audio::midiToHz(double(midi)))) <= 50.0) ++hits;
    }
    if (counted) *counted = total;
    return total ? double(hits) / double(total) : 0.0;
}

}  // namespace

Evaluation evaluate(JobContext& ctx, DdspNet& net, CodePrior* prior, const TrainingData& train,
                    const TrainingData& test, const DdspSettings& s) {
    const DdspConfig& c = net->config();
    const auto device = torch::Device(s.device);
    const LogMel mel(c.sampleRateHz, 1024, c.hop, c.melBands);
    Evaluation out;
    auto& m = out.metrics;

    ctx.progress(0, 0, "training the judge (a classifier of real clips)");
    AudioClassifier judge = trainClassifier(train.audio, train.classes, c.numClasses(), mel, int(s.classifierSteps),
                                            s.seed + 17, [&] { return ctx.stopRequested(); });
    const auto accuracy = [&](const at::Tensor& audio, const at::Tensor& labels) {
        const at::Tensor predicted = batched(audio.size(0), [&](std::int64_t i, std::int64_t n) {
            return judge->forward(mel(audio.narrow(0, i, n))).argmax(1);
        });
        return predicted.eq(labels).to(at::kDouble).mean().item<double>();
    };
    const auto embed = [&](const at::Tensor& audio) {
        return batched(audio.size(0), [&](std::int64_t i, std::int64_t n) { return judge->embed(mel(audio.narrow(0, i, n))); });
    };

    ctx.progress(0, 0, "generating one clip per held-out clip's class, pitch and velocity");
    auto gen = at::make_generator<at::CPUGeneratorImpl>(s.seed + 99);
    const at::Tensor generated = batched(test.size(), [&](std::int64_t i, std::int64_t n) {
        ctx.throwIfStopped();
        const Conditions cond{test.classes.narrow(0, i, n).to(device), test.pitch.narrow(0, i, n).to(device),
                              test.velocity.narrow(0, i, n).to(device)};
        return generateSound(net, prior, cond, std::nullopt, 1.0, 0, gen).audio;
    });
    m["judge_accuracy_real_test"] = accuracy(test.audio, test.classes);
    m["class_accuracy_generated"] = accuracy(generated, test.classes);
    std::int64_t pitched = 0;
    m["pitch_within_50_cents_generated"] = pitchAccuracy(generated, test.pitch, c.sampleRateHz, &pitched);
    m["pitch_within_50_cents_real_test"] = pitchAccuracy(test.audio, test.pitch, c.sampleRateHz, nullptr);
    m["pitched_test_clips"] = double(pitched);
    m["test_clips"] = double(test.size());
    m["train_clips"] = double(train.size());

    const at::Tensor realTest = embed(test.audio);
    m["frechet_generated_vs_real_test"] = frechetDistance(embed(generated), realTest);
    auto pickGen = at::make_generator<at::CPUGeneratorImpl>(s.seed + 5);
    const at::Tensor pick = at::randperm(train.size(), pickGen, at::kLong).narrow(0, 0, std::min(train.size(), test.size()));
    m["frechet_real_train_vs_real_test"] = frechetDistance(embed(train.audio.index_select(0, pick)), realTest);

    // Reconstruction of held-out clips through the bottleneck.
    double recon = 0;
    std::int64_t batches = 0;
    std::vector<at::Tensor> testCodes;
    auto noise = at::make_generator<at::CPUGeneratorImpl>(s.seed + 3);
    for (std::int64_t i = 0; i < test.size(); i += kBatch, ++batches) {
        const auto n = std::min(kBatch, test.size() - i);
        const at::Tensor x = test.audio.narrow(0, i, n).to(device);
        const at::Tensor classes = test.classes.narrow(0, i, n).to(device);
        const Encoded e = net->encode(mel(x));
        if (c.isVq()) testCodes.push_back(e.vq.codes.to(at::kCPU));
        const SynthControls controls =
            net->controls(c.isVq() ? e.vq.quantized : e.mean, net->embedClasses(classes),
                          test.pitch.narrow(0, i, n).to(device).to(at::kFloat),
                          test.velocity.narrow(0, i, n).to(device).to(at::kFloat) / 127.0, pitchedFlags(c, classes));
        recon += spectralLoss(synthesize(controls, c, noise), x).item<double>();
    }
    m["test_spectral_loss"] = recon / double(std::max<std::int64_t>(batches, 1));
    if (c.isVq()) {
        const at::Tensor counts = at::bincount(at::cat(testCodes).flatten(), {}, c.codebookSize).to(at::kDouble);
        const at::Tensor p = counts / counts.sum();
        m["codebook_usage_test"] = counts.gt(0).to(at::kDouble).mean().item<double>();
        m["codebook_perplexity_test"] = at::exp(-(p * at::log(p + 1e-12)).sum()).item<double>();
    } else {
        out.trainLatents = batched(train.size(), [&](std::int64_t i, std::int64_t n) {
            return net->encode(mel(train.audio.narrow(0, i, n).to(device))).mean;
        });
        std::vector<float> centroid(std::size_t(train.size()));
        const at::Tensor a = train.audio.contiguous();
        for (std::int64_t i = 0; i < a.size(0); ++i)
            centroid[std::size_t(i)] = float(audio::spectralCentroid(a[i].data_ptr<float>(), int(a.size(1)), c.sampleRateHz));
        out.centroids = at::from_blob(centroid.data(), {train.size()}, at::kFloat).clone();
    }
    return out;
}

}  // namespace latent::ddsp
