// `train`: train a new model package with a family's trainer, as an engine job.
#include <atomic>
#include <csignal>
#include <iostream>

#include "cli/CliMain.h"
#include "cli/CliSink.h"
#include "cli/Commands.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/PluginHost.h"
#include "latent/plugin/ModelFamily.h"

namespace latent::cli {
namespace {

std::atomic<bool> g_interrupted{false};

}  // namespace

int train(Engine& engine, const TrainArgs& args) {
    const std::string familyName = !args.family.empty()      ? args.family
                                   : args.modality == "text"  ? "gpt"
                                   : args.modality == "audio" ? "ddsp"
                                                              : "";
    if (familyName.empty()) throw Error(ErrorKind::BadArgument, "--family is required for images: vae, gan or flow");
    const std::string familyId = args.modality + "-" + familyName;
    ModelFamily& family = engine.plugins().family(familyId);  // throws: unknown or broken plugin
    const auto task = family.trainTask();
    if (!task) throw Error(ErrorKind::BadArgument, "the " + familyId + " family cannot train models");

    if (args.modality == "image" && args.data.size() != 1)
        throw Error(ErrorKind::BadArgument, "image training takes one --data source");
    std::vector<std::string> sets;
    if (!args.config.empty()) {
        // Config-file values first, so --set on the command line wins.
        sets = configFileSets(args.config);
    }
    sets.insert(sets.end(), args.sets.begin(), args.sets.end());
    std::string data;
    for (const auto& d : args.data) data += (data.empty() ? "" : ";") + d;
    sets.push_back("data=" + data);
    sets.push_back("out=" + args.out);
    if (args.steps > 0) sets.push_back("steps=" + std::to_string(args.steps));
    if (args.fresh) sets.push_back("resume=false");
    ParamMap values = parseParamSets(sets, task->params);
    JobRequest request;
    request.label = "train " + familyId + " on " + data;
    request.params = validateParams(task->params, values);
    if (args.seed) request.seed = *args.seed;
    request.device = args.device;
    request.priority = -10;  // training yields to interactive work
    request.family = familyId;
    request.task = task->id;
    auto sink = std::make_shared<CliSink>(!args.quiet);
    request.sink = sink;

    g_interrupted = false;
    auto previous = std::signal(SIGINT, [](int) { g_interrupted = true; });
    const JobId id = engine.submit(std::move(request));
    bool cancelled = false;
    while (!engine.wait(id, std::chrono::milliseconds(200)))
        if (g_interrupted && !cancelled) {
            std::cerr << "stopping after the current step (a checkpoint is saved)…\n";
            engine.cancel(id);
            cancelled = true;
        }
    std::signal(SIGINT, previous);

    std::lock_guard lock(sink->mutex);
    if (sink->state == JobState::Cancelled) {
        std::cerr << "stopped; run the same command again to resume from the checkpoint\n";
        return Interrupted;
    }
    if (sink->state != JobState::Finished) {
        std::cerr << "error: " << sink->error << "\n";
        return sink->errorKind == ErrorKind::BadArgument ? BadArguments : ModelError;
    }
    std::cout << args.out << "\n";
    std::cerr << "seed " << sink->provenance.seed << "\n";
    return Ok;
}

}  // namespace latent::cli
