#include "DdspGenerator.h"

#include <ATen/ATen.h>

#include "latent/Error.h"

namespace latent::ddsp {

at::Tensor pitchedFlags(const DdspConfig& config, const at::Tensor& classes) {
    std::vector<std::uint8_t> flags(config.pitched.begin(), config.pitched.end());
    const at::Tensor table = at::from_blob(flags.data(), {std::int64_t(flags.size())}, at::kByte).to(at::kBool).clone();
    return table.index_select(0, classes.to(at::kCPU)).to(classes.device());
}

Generated generateSound(DdspNet& net, CodePrior* prior, const Conditions& c, const std::optional<at::Tensor>& slider,
                        double temperature, int topK, at::Generator& gen, const std::optional<at::Tensor>& codes) {
    const DdspConfig& config = net->config();
    const auto b = c.classes.size(0);
    const auto device = c.classes.device();
    Generated out;
    at::Tensor latent, embedding;
    if (config.isVq()) {
        if (codes) {
            out.codes = codes->to(device);
        } else {
            if (!prior) throw Error(ErrorKind::ModelPackage, "this VQ model has no prior over its codes");
            out.codes = (*prior)->sample(c.classes, c.pitch, c.velocity, temperature, topK, gen);
        }
        latent = net->quantizer->lookup(out.codes);
    }
    if (slider) {
        if (slider->size(1) != config.sliderDim())
            throw Error(ErrorKind::BadArgument, "the latent has " + std::to_string(slider->size(1)) +
                                                    " values; this model takes " + std::to_string(config.sliderDim()));
        embedding = slider->narrow(1, config.sliderDim() - config.classEmbedding, config.classEmbedding).to(device);
        if (!config.isVq()) latent = slider->narrow(1, 0, config.latentDim).to(device);
    } else {
        embedding = net->embedClasses(c.classes);
        if (!config.isVq()) latent = (at::randn({b, config.latentDim}, gen, at::kFloat) * temperature).to(device);
    }
    out.slider = config.isVq() ? embedding : at::cat({latent, embedding}, 1);
    const SynthControls controls = net->controls(latent, embedding, c.pitch.to(at::kFloat),
                                                 c.velocity.to(at::kFloat) / 127.0, pitchedFlags(config, c.classes));
    out.audio = synthesize(controls, config, gen);
    return out;
}

}  // namespace latent::ddsp
