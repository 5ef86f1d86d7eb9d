#include "DdspSettings.h"

#include "latent/PackageFolder.h"

namespace latent::ddsp {

DdspSettings readDdspSettings(JobContext& ctx) {
    DdspSettings s;
    s.data = ctx.stringParam("data");
    s.out = packageOutputFolder(ctx.stringParam("out"), "audio-ddsp");
    s.id = ctx.stringParam("id");
    s.name = ctx.stringParam("name");
    s.bottleneck = ctx.stringParam("bottleneck");
    s.steps = ctx.intParam("steps");
    s.priorSteps = s.bottleneck == "vq" ? ctx.intParam("prior_steps") : 0;
    s.batch = ctx.intParam("batch");
    s.lr = ctx.floatParam("lr");
    s.klWeight = ctx.floatParam("kl_weight");
    s.latentDim = int(ctx.intParam("latent_dim"));
    s.hidden = int(ctx.intParam("hidden"));
    s.limit = ctx.intParam("limit");
    s.classifierSteps = ctx.intParam("classifier_steps");
    s.checkpointEvery = ctx.intParam("checkpoint_every");
    s.resume = ctx.boolParam("resume");
    s.seed = ctx.seed();
    s.device = ctx.device();
    return s;
}

}  // namespace latent::ddsp
