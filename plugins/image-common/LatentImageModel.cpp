#include "LatentImageModel.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "latent/Error.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent::image {
namespace {

// RGBA frame -> [1, C, H, W] in [0, 1]. Transparent pixels are composited on
// the background the bundled data sets use: black for gray models
// (Fashion-MNIST), white for colour ones (emoji).
at::Tensor frameToUnitTensor(const ImageFrame& frame, int channels) {
    if (!frame.rgba || frame.width < 1 || frame.height < 1 ||
        frame.rgba->size() != std::size_t(frame.width) * std::size_t(frame.height) * 4)
        throw Error(ErrorKind::BadArgument, "the image has no pixel data");
    const at::Tensor rgba =
        at::from_blob(const_cast<std::uint8_t*>(frame.rgba->data()), {frame.height, frame.width, 4}, at::kByte)
            .to(at::kFloat)
            .div(255.0)
            .permute({2, 0, 1});
    const at::Tensor alpha = rgba.narrow(0, 3, 1);
    const double background = channels == 1 ? 0.0 : 1.0;
    at::Tensor rgb = rgba.narrow(0, 0, 3) * alpha + background * (1 - alpha);
    if (channels == 1) rgb = (rgb[0] * 0.299 + rgb[1] * 0.587 + rgb[2] * 0.114).unsqueeze(0);
    return rgb.unsqueeze(0).contiguous();
}

}  // namespace

TaskInfo sampleTask(bool conditional, std::int64_t numClasses, std::vector<ParamSpec> extraSample) {
    TaskInfo t;
    t.id = "image.sample";
    t.label = "Sample images";
    t.params.push_back(ParamSpec::integer("batch", "Batch", 1, 64, 1, "", "Images generated at once"));
    if (conditional)
        t.params.push_back(ParamSpec::integer("class", "Class", -1, std::max<std::int64_t>(0, numClasses - 1), -1, "",
                                              "Class of the images; -1 picks one at random per image"));
    for (auto& p : extraSample) t.params.push_back(std::move(p));
    return t;
}

TaskInfo decodeTask() {
    TaskInfo t;
    t.id = "image.decode";
    t.label = "Decode latents";
    return t;
}

TaskInfo encodeTask(std::vector<ParamSpec> extra) {
    TaskInfo t;
    t.id = "image.encode";
    t.label = "Encode an image";
    t.params = std::move(extra);
    return t;
}

LatentImageModel::LatentImageModel(std::unique_ptr<LatentImageNet> net, std::string device)
    : m_net(std::move(net)), m_device(std::move(device)) {}

std::size_t LatentImageModel::memoryBytes() const { return m_net->memoryBytes(); }

void LatentImageModel::run(JobContext& ctx) {
    const auto& task = ctx.task();
    if (task == "image.sample") return sample(ctx);
    if (task == "image.decode") return decode(ctx);
    if (task == "image.encode") return encode(ctx);
    throw Error(ErrorKind::BadArgument, "this model does not run the task '" + task + "'");
}

at::Tensor LatentImageModel::latentsFromInputs(JobContext& ctx, bool required) {
    const auto& given = ctx.inputs().latent;
    const std::int64_t dim = m_net->latentDim();
    if (given.empty()) {
        if (required)
            throw Error(ErrorKind::BadArgument, "no latent vector given: this task decodes " + std::to_string(dim) +
                                                    " values per image");
        return {};
    }
    if (std::int64_t(given.size()) % dim != 0)
        throw Error(ErrorKind::BadArgument, "latent vector has " + std::to_string(given.size()) +
                                                " values; this model takes " + std::to_string(dim) + " per image");
    if (std::int64_t(given.size()) / dim > 256)
        throw Error(ErrorKind::BadArgument, "at most 256 latents can be decoded at once");
    at::Tensor z = at::from_blob(const_cast<float*>(given.data()), {std::int64_t(given.size()) / dim, dim}, at::kFloat)
                       .clone();
    if (!at::isfinite(z).all().item<bool>())
        throw Error(ErrorKind::BadArgument, "the latent vector holds NaN or infinite values");
    return z;
}

void LatentImageModel::emitImages(JobContext& ctx, const at::Tensor& images, const at::Tensor& latents,
                                  const std::map<std::string, at::Tensor>& scores, int step, int totalSteps,
                                  bool final) {
    auto frames = tensorToImageFrames(images.detach(), 0.0, 1.0);
    const at::Tensor lat = latents.detach().to(at::kCPU, at::kFloat).contiguous();
    std::map<std::string, at::Tensor> cpuScores;
    for (const auto& [name, s] : scores) cpuScores[name] = s.detach().to(at::kCPU, at::kDouble).reshape({-1});
    for (std::size_t i = 0; i < frames.size(); ++i) {
        auto& f = frames[i];
        const float* row = lat.data_ptr<float>() + std::int64_t(i) * lat.size(1);
        f.latent = makeSharedFloats(std::vector<float>(row, row + lat.size(1)));
        for (const auto& [name, s] : cpuScores)
            if (std::int64_t(i) < s.size(0)) f.scores[name] = s[std::int64_t(i)].item<double>();
        f.step = step;
        f.totalSteps = totalSteps;
        f.final = final;
        ctx.emit(std::move(f));
    }
}

void LatentImageModel::sample(JobContext& ctx) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed());
    at::Tensor latents = latentsFromInputs(ctx, false);
    if (!latents.defined()) {
        const std::int64_t batch = ctx.intParam("batch");
        at::Tensor labels;
        if (m_net->numClasses() > 0) {
            const std::int64_t cls = ctx.params().count("class") ? ctx.intParam("class") : -1;
            if (cls >= m_net->numClasses())
                throw Error(ErrorKind::BadArgument, "class " + std::to_string(cls) + " does not exist; this model has " +
                                                        std::to_string(m_net->numClasses()) + " classes (0-" +
                                                        std::to_string(m_net->numClasses() - 1) + ")");
            labels = cls < 0 ? at::randint(m_net->numClasses(), {batch}, gen, at::kLong)
                             : at::full({batch}, cls, at::kLong);
        }
        latents = m_net->sampleLatents(batch, labels, ctx, gen);
    }
    ctx.throwIfStopped();
    ctx.progress(0, 1, "decoding");
    const at::Tensor images = m_net->decode(latents.to(m_device));
    ctx.throwIfStopped();
    emitImages(ctx, images, latents, m_net->scores(images), 1, 1, true);
    ctx.progress(1, 1);
}

void LatentImageModel::decode(JobContext& ctx) {
    const at::Tensor latents = latentsFromInputs(ctx, true);
    const at::Tensor images = m_net->decode(latents.to(m_device));
    ctx.throwIfStopped();
    emitImages(ctx, images, latents, m_net->scores(images), 1, 1, true);
}

void LatentImageModel::encode(JobContext& ctx) {
    if (!m_net->canEncode())
        throw Error(ErrorKind::BadArgument, "this model has no encoder, so it cannot turn an image into a latent");
    if (!ctx.inputs().image)
        throw Error(ErrorKind::BadArgument, "no image given to encode");
    const ImageFrame& frame = *ctx.inputs().image;
    at::Tensor image = frameToUnitTensor(frame, m_net->channels());
    const int h = m_net->height(), w = m_net->width();
    if (frame.width != w || frame.height != h) {
        // Centre-crop to the model's aspect ratio, then resample (area when shrinking).
        const double target = double(w) / h;
        std::int64_t cw = frame.width, ch = frame.height;
        if (double(cw) / ch > target) cw = std::max<std::int64_t>(1, std::llround(ch * target));
        else ch = std::max<std::int64_t>(1, std::llround(cw / target));
        image = image.narrow(2, (frame.height - ch) / 2, ch).narrow(3, (frame.width - cw) / 2, cw);
        image = (ch >= h && cw >= w) ? at::adaptive_avg_pool2d(image, {h, w})
                                     : at::upsample_bilinear2d(image, {h, w}, false);
        ctx.log(LogLevel::Warning, "the image is " + std::to_string(frame.width) + "×" + std::to_string(frame.height) +
                                       "; it was cropped and resized to the model's " + std::to_string(w) + "×" +
                                       std::to_string(h));
    }
    // The model sees what the user would see: pixels quantised to 8 bits.
    image = image.clamp(0, 1).mul(255).round().div(255).to(m_device);
    ctx.progress(0, 1, "encoding");
    const at::Tensor latents = m_net->encode(image, ctx, [&](int step, int total, const at::Tensor& current) {
        ctx.progress(step, total, "encoding");
        at::NoGradGuard noGrad;  // previews need no graph, even inside an optimising encoder
        if (step < total) emitImages(ctx, m_net->decode(current.detach()), current, {}, step, total, false);
    });
    ctx.throwIfStopped();
    const at::Tensor recon = m_net->decode(latents.detach().to(m_device));
    // Scores describe the image the user opened, not its reconstruction.
    emitImages(ctx, recon, latents, m_net->scores(image), 1, 1, true);
    ctx.progress(1, 1);
}

}  // namespace latent::image
