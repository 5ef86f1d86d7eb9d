#include "ImageClassifier.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include "latent/Error.h"

namespace latent::image {
namespace {

// Two conv blocks and a small MLP: ~90% on Fashion-MNIST after a few
// thousand steps, enough to tell a sneaker from a sandal in a GAN's samples.
struct ClassifierNetImpl : torch::nn::Module {
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
    ClassifierNetImpl(int channels, int classes) {
        conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, 32, 3).padding(1)));
        conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 3).padding(1)));
        fc1 = register_module("fc1", torch::nn::Linear(64 * 7 * 7, 128));
        fc2 = register_module("fc2", torch::nn::Linear(128, classes));
    }
    torch::Tensor forward(torch::Tensor x) {
        x = torch::max_pool2d(torch::relu(conv1->forward(x)), 2);
        x = torch::max_pool2d(torch::relu(conv2->forward(x)), 2);
        x = torch::adaptive_avg_pool2d(x, {7, 7}).flatten(1);
        return fc2->forward(torch::dropout(torch::relu(fc1->forward(x)), 0.3, is_training()));
    }
};
TORCH_MODULE(ClassifierNet);

class SmallCnnClassifier final : public ImageClassifier {
public:
    SmallCnnClassifier(int channels, int classes) : m_net(channels, classes) {}

    void fit(const ImageDataset& data, JobContext& ctx, std::int64_t steps, std::uint64_t seed) {
        c10::InferenceMode noInference(false);
        torch::AutoGradMode grad(true);
        torch::optim::Adam opt(m_net->parameters(), torch::optim::AdamOptions(1e-3));
        auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
        m_net->train();
        // Folder data sets may mix labelled and unlabelled images: learn from the labelled ones.
        const at::Tensor labelled = data.labels.ge(0).nonzero().flatten();
        for (std::int64_t step = 0; step < steps; ++step) {
            ctx.throwIfStopped();
            const at::Tensor idx = labelled.index_select(0, at::randint(labelled.size(0), {128}, gen, at::kLong));
            at::Tensor x = toUnitRange(data.images.index_select(0, idx));
            // Small shifts make it judge shapes, not exact pixel positions.
            const auto dx = at::randint(-2, 3, {1}, gen, at::kLong).item<std::int64_t>();
            const auto dy = at::randint(-2, 3, {1}, gen, at::kLong).item<std::int64_t>();
            x = at::roll(x, {dy, dx}, {2, 3});
            const at::Tensor loss = torch::cross_entropy_loss(m_net->forward(x), data.labels.index_select(0, idx));
            opt.zero_grad();
            loss.backward();
            opt.step();
            if ((step + 1) % 100 == 0)
                ctx.progress(step + 1, steps, "training the scoring classifier, loss " +
                                                  std::to_string(loss.item<double>()));
        }
        m_net->eval();
    }

    at::Tensor predict(const at::Tensor& images) override {
        at::NoGradGuard noGrad;
        std::vector<at::Tensor> out;
        const at::Tensor x = images.to(at::kCPU, at::kFloat);
        for (std::int64_t i = 0; i < x.size(0); i += 500)
            out.push_back(m_net->forward(x.narrow(0, i, std::min<std::int64_t>(500, x.size(0) - i))).argmax(1));
        return at::cat(out);
    }

private:
    ClassifierNet m_net;
};

}  // namespace

std::unique_ptr<ImageClassifier> ImageClassifier::train(const ImageDataset& data, JobContext& ctx,
                                                        std::int64_t steps, std::uint64_t seed) {
    if (data.classNames.size() < 2 || data.size() == 0 || data.labels.lt(0).all().item<bool>())
        throw Error(ErrorKind::BadArgument, "a classifier needs labelled images of at least two classes");
    auto c = std::make_unique<SmallCnnClassifier>(data.channels(), int(data.classNames.size()));
    c->fit(data, ctx, steps, seed);
    return c;
}

double ImageClassifier::accuracy(const ImageDataset& test) {
    const at::Tensor labelled = test.labels.ge(0);
    if (!labelled.any().item<bool>()) return 0;
    const at::Tensor predicted = predict(toUnitRange(test.images));
    return predicted.eq(test.labels).logical_and(labelled).sum().item<double>() / labelled.sum().item<double>();
}

}  // namespace latent::image
