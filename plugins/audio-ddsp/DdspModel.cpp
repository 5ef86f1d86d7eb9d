#include "DdspModel.h"

#include <ATen/CPUGeneratorImpl.h>

#include "DdspGenerator.h"
#include "latent/Error.h"
#include "latent/media/AudioConvert.h"

namespace latent::ddsp {
namespace {

int classParam(const DdspConfig& c, const std::string& name) {
    for (std::size_t i = 0; i < c.classNames.size(); ++i)
        if (c.classNames[i] == name) return int(i);
    std::string known;
    for (const auto& n : c.classNames) known += (known.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::BadArgument, "this model has no class '" + name + "' (it has: " + known + ")");
}

}  // namespace

DdspModel::DdspModel(DdspNet net, CodePrior prior, std::string device)
    : m_net(std::move(net)),
      m_prior(std::move(prior)),
      m_device(std::move(device)),
      m_mel(m_net->config().sampleRateHz, 1024, m_net->config().hop, m_net->config().melBands) {
    for (const auto& p : m_net->parameters()) m_bytes += p.numel() * p.element_size();
    if (m_prior)
        for (const auto& p : m_prior->parameters()) m_bytes += p.numel() * p.element_size();
}

void DdspModel::run(JobContext& ctx) {
    const DdspConfig& c = m_net->config();
    const auto device = torch::Device(m_device);
    const int cls = classParam(c, ctx.stringParam("class"));
    const auto pitch = c.pitched[std::size_t(cls)] ? ctx.intParam("pitch") : -1;
    const Conditions cond{at::full({1}, cls, at::kLong).to(device), at::full({1}, pitch, at::kLong).to(device),
                          at::full({1}, ctx.intParam("velocity"), at::kLong).to(device)};
    auto gen = at::make_generator<at::CPUGeneratorImpl>(ctx.seed());
    const std::string& task = ctx.task();
    std::optional<at::Tensor> slider;
    const auto& given = ctx.inputs().latent;
    if (!given.empty()) {
        if (int(given.size()) != c.sliderDim())
            throw Error(ErrorKind::BadArgument, "the latent has " + std::to_string(given.size()) +
                                                    " values; this model takes " + std::to_string(c.sliderDim()));
        slider = at::from_blob(const_cast<float*>(given.data()), {1, c.sliderDim()}, at::kFloat).clone();
    } else if (task == "audio.decode") {
        throw Error(ErrorKind::BadArgument, "decode needs a latent of " + std::to_string(c.sliderDim()) + " values");
    }
    if (task == "audio.transfer") {
        if (c.isVq()) throw Error(ErrorKind::BadArgument, "the VQ model has no transfer task");
        const auto& in = ctx.inputs().audio;
        if (!in || !in->samples || in->channels < 1)
            throw Error(ErrorKind::BadArgument, "this task needs input audio: open or drop a one-shot first");
        AudioClip clip{in->sampleRateHz, in->channels, *in->samples};
        std::vector<std::string> notices;
        clip = convertAudio(clip, c.sampleRateHz, 1, &notices);
        for (const auto& n : notices) ctx.log(LogLevel::Info, "input " + n);
        clip.samples.resize(std::size_t(c.clipFrames), 0.0f);  // the model's one-shot length
        const at::Tensor x = at::from_blob(clip.samples.data(), {1, c.clipFrames}, at::kFloat).clone().to(device);
        const at::Tensor z = m_net->encode(m_mel(x)).mean;
        slider = at::cat({z.to(at::kCPU), m_net->embedClasses(cond.classes).to(at::kCPU)}, 1);
    } else if (task != "audio.sample" && task != "audio.decode") {
        throw Error(ErrorKind::BadArgument, "the audio-ddsp family has no task '" + task + "'");
    }
    ctx.throwIfStopped();
    const double temperature = ctx.floatParam("temperature");
    const int topK = int(ctx.intParam("top_k"));
    std::optional<at::Tensor> codes;
    if (c.isVq() && m_prior) {
        const CodeDraw draw{cls, pitch, ctx.intParam("velocity"), ctx.seed(), temperature, topK};
        std::lock_guard lock(m_drawMutex);
        if (m_draw && *m_draw == draw) {
            gen.set_state(m_drawState);
            codes = m_drawCodes;
        } else {
            codes = m_prior->sample(cond.classes, cond.pitch, cond.velocity, temperature, topK, gen);
            m_draw = draw;
            m_drawCodes = *codes;
            m_drawState = gen.get_state();
        }
    }
    const Generated g = generateSound(m_net, m_prior ? &m_prior : nullptr, cond, slider, temperature, topK, gen, codes);
    const at::Tensor audio = (g.audio * ctx.floatParam("gain")).clamp(-1, 1).to(at::kCPU).contiguous();
    const at::Tensor latent = g.slider.to(at::kCPU, at::kFloat).contiguous();
    AudioBlock block;
    block.sampleRateHz = c.sampleRateHz;
    block.channels = 1;
    block.totalFrames = c.clipFrames;
    block.samples = makeSharedFloats(std::vector<float>(audio.data_ptr<float>(), audio.data_ptr<float>() + audio.numel()));
    block.latent = makeSharedFloats(std::vector<float>(latent.data_ptr<float>(), latent.data_ptr<float>() + latent.numel()));
    block.latentDims = int(latent.numel());
    block.final = true;
    ctx.emit(std::move(block));
}

}  // namespace latent::ddsp
