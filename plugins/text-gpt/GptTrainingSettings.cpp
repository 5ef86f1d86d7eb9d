// The train task's parameter list (textTrainTask, declared in GptTraining.h)
// beside the code that reads it, so the two stay in step.
#include "GptTrainingSettings.h"

#include <sstream>

#include "GptTraining.h"
#include "latent/Error.h"
#include "latent/PackageFolder.h"

namespace fs = std::filesystem;

namespace latent::gpt {
namespace detail {
namespace {

std::vector<std::string> splitList(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep))
        if (!cur.empty()) out.push_back(cur);
    return out;
}

}  // namespace

TrainingSettings readTrainingSettings(JobContext& ctx) {
    TrainingSettings s;
    s.data = splitList(ctx.stringParam("data"), ';');
    if (s.data.empty()) throw Error(ErrorKind::BadArgument, "no training data given (data: files or folders)");
    for (auto& e : splitList(ctx.stringParam("extensions"), ',')) s.extensions.push_back(e[0] == '.' ? e : "." + e);
    s.out = packageOutputFolder(ctx.stringParam("out"), "text-gpt");
    s.id = ctx.stringParam("id");
    s.name = ctx.stringParam("name");
    s.dataName = ctx.stringParam("data_name");
    s.dataLicense = ctx.stringParam("data_license");
    s.steps = ctx.intParam("steps");
    s.batch = ctx.intParam("batch");
    s.context = ctx.intParam("context");
    s.vocab = ctx.intParam("vocab");
    s.width = ctx.intParam("width");
    s.layers = ctx.intParam("layers");
    s.heads = ctx.intParam("heads");
    s.evalEvery = ctx.intParam("eval_every");
    s.checkpointEvery = ctx.intParam("checkpoint_every");
    s.holdOutEvery = ctx.intParam("hold_out_every");
    s.maxBytes = ctx.intParam("max_bytes");
    s.tokenizerBytes = ctx.intParam("tokenizer_bytes");
    s.lr = ctx.floatParam("lr");
    s.resume = ctx.boolParam("resume");
    s.seed = ctx.seed();
    s.device = ctx.device();
    if (s.width % s.heads != 0)
        throw Error(ErrorKind::BadArgument, "the width (" + std::to_string(s.width) + ") must be a multiple of the " +
                                                std::to_string(s.heads) + " heads");
    return s;
}

}  // namespace detail

TaskInfo textTrainTask() {
    TaskInfo t;
    t.id = "train";
    t.label = "Train a language model";
    t.params = {
        ParamSpec::text("data", "Data", "", "Text files or folders to learn from; several separated by ';'"),
        ParamSpec::text("extensions", "File types", ".txt,.md", "File extensions read from folders, comma-separated"),
        ParamSpec::text("out", "Package folder", "", "Where the finished model package is written"),
        ParamSpec::text("id", "Model id", "", "Package id; default: the folder name"),
        ParamSpec::text("name", "Name", "", "Display name; default: from the data"),
        ParamSpec::text("data_name", "Data name", "", "How the model card names the data"),
        ParamSpec::text("data_license", "Data license", "", "The data's license, for the model card"),
        ParamSpec::integer("steps", "Steps", 1, 10'000'000, 4000, "steps", "Optimisation steps"),
        ParamSpec::integer("batch", "Batch", 1, 1024, 16, "sequences", "Sequences per step"),
        ParamSpec::integer("context", "Context", 8, 4096, 128, "tokens", "Tokens the model sees at once"),
        ParamSpec::integer("vocab", "Vocabulary", 260, 65536, 4096, "tokens", "Byte-level BPE vocabulary size"),
        ParamSpec::integer("width", "Width", 16, 4096, 192, "", "Model width (embedding size)"),
        ParamSpec::integer("layers", "Layers", 1, 96, 4, "", "Transformer blocks"),
        ParamSpec::integer("heads", "Heads", 1, 64, 6, "", "Attention heads (must divide the width)"),
        ParamSpec::number("lr", "Learning rate", 1e-6, 1.0, 2e-3, 0, "Peak AdamW learning rate (cosine decay)"),
        ParamSpec::integer("eval_every", "Validate every", 1, 10'000'000, 250, "steps", "Held-out loss this often"),
        ParamSpec::integer("checkpoint_every", "Checkpoint every", 1, 10'000'000, 250, "steps",
                           "Save a resumable checkpoint this often"),
        ParamSpec::integer("hold_out_every", "Hold out every", 2, 1000, 25, "files",
                           "Every n-th file is held out for validation"),
        ParamSpec::integer("max_bytes", "Data limit", 0, std::int64_t(1) << 40, 0, "bytes", "Read at most this much; 0 = all"),
        ParamSpec::integer("tokenizer_bytes", "Tokenizer sample", 0, std::int64_t(1) << 40, 8'000'000, "bytes",
                           "Training text the tokenizer learns from; 0 = all"),
        ParamSpec::boolean("resume", "Resume", true, "Continue from the last checkpoint of this package folder"),
    };
    return t;
}

}  // namespace latent::gpt
