#include "DdspConfig.h"

#include "latent/Error.h"
#include "latent/formats/Json.h"

namespace latent::ddsp {

nlohmann::json DdspConfig::toJson() const {
    nlohmann::json pitchedJson = nlohmann::json::array();
    for (bool p : pitched) pitchedJson.push_back(p ? 1 : 0);  // 1: notes at a given pitch
    return {{"sample_rate_hz", sampleRateHz}, {"clip_frames", clipFrames},     {"hop", hop},
            {"harmonics", harmonics},         {"noise_bands", noiseBands},     {"hidden", hidden},
            {"mel_bands", melBands},          {"class_embedding", classEmbedding}, {"classes", classNames},
            {"pitched", pitchedJson},         {"bottleneck", bottleneck},      {"latent_dim", latentDim},
            {"codebook_size", codebookSize},  {"code_dim", codeDim},           {"code_stride", codeStride},
            {"prior_width", priorWidth},      {"prior_layers", priorLayers},   {"prior_heads", priorHeads}};
}

DdspConfig DdspConfig::fromJson(const nlohmann::json& j, const std::string& where) {
    const JsonReader r(j, where, ErrorKind::ModelPackage, "config");
    DdspConfig c;
    c.sampleRateHz = int(r.integer("sample_rate_hz", 8000, 48000));
    c.hop = int(r.integer("hop", 16, 4096));
    c.clipFrames = int(r.integer("clip_frames", c.hop, 48000 * 8));
    if (c.clipFrames % c.hop != 0) r.fail("clip_frames", "must be a whole number of hops");
    c.harmonics = int(r.integer("harmonics", 1, 256));
    c.noiseBands = int(r.integer("noise_bands", 2, 512));
    c.hidden = int(r.integer("hidden", 8, 2048));
    c.melBands = int(r.integer("mel_bands", 8, 256));
    c.classEmbedding = int(r.integer("class_embedding", 1, 256));
    const JsonReader classes = r.array("classes");
    const JsonReader pitched = r.array("pitched");
    if (classes.size() < 1 || classes.size() > 4096) r.fail("classes", "must list 1 to 4096 class names");
    if (pitched.size() != classes.size()) r.fail("pitched", "must have one entry per class");
    for (std::size_t i = 0; i < classes.size(); ++i) {
        c.classNames.push_back(classes.at(i).asString());
        c.pitched.push_back(pitched.at(i).asInteger(0, 1) == 1);
    }
    c.bottleneck = r.string("bottleneck", "vae");
    if (c.bottleneck != "vae" && c.bottleneck != "vq") r.fail("bottleneck", "must be \"vae\" or \"vq\"");
    c.latentDim = int(r.integer("latent_dim", 1, 1024));
    c.codebookSize = int(r.integer("codebook_size", 2, 65536));
    c.codeDim = int(r.integer("code_dim", 1, 1024));
    c.codeStride = int(r.integer("code_stride", 1, 64));
    if (c.frames() % c.codeStride != 0) r.fail("code_stride", "must divide the number of control frames");
    c.priorWidth = int(r.integer("prior_width", 8, 2048));
    c.priorLayers = int(r.integer("prior_layers", 1, 48));
    c.priorHeads = int(r.integer("prior_heads", 1, 64));
    if (c.priorWidth % c.priorHeads != 0) r.fail("prior_heads", "must divide prior_width");
    return c;
}

}  // namespace latent::ddsp
