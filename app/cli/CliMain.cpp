#include "cli/CliMain.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/Commands.h"
#include "latent/BuildInfo.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/StudioPaths.h"

namespace latent::cli {
namespace {

// A whole number from 0 to 2^64 - 1, checked as text: CLI11 would wrap "-5"
// and clamp "18446744073709551616" to the largest value, silently.
const CLI::Validator kWholeNumber(
    [](std::string& text) -> std::string {
        unsigned long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
            return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
        return {};
    },
    "UINT");

}  // namespace

bool wantsCli(int argc, char** argv) {
    // The first argument decides: Qt's own options (-platform, -style ...)
    // start with '-', subcommands never do.
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strcmp(a, "-v") || !std::strcmp(a, "--verbose")) continue;
        if (!std::strcmp(a, "--version") || !std::strcmp(a, "--help") || !std::strcmp(a, "-h")) return true;
        return a[0] != '-';  // an unknown subcommand gets the CLI's error, not a window
    }
    return false;
}

int runCli(int argc, char** argv) {
    // Diagnostics go to stderr so --json output on stdout stays parseable.
    auto logger = spdlog::stderr_color_mt("cli");
    logger->set_level(spdlog::level::warn);
    logger->set_pattern("%^%l%$: %v");
    spdlog::set_default_logger(logger);

    CLI::App app{"Latent Studio: generative models on your desktop.\n"
                 "Run without arguments to open the studio; subcommands work headless.",
                 "latent-studio"};
    app.set_version_flag("--version", std::string("latent-studio ") + LATENT_APP_VERSION + " (LibTorch " +
                                          LATENT_TORCH_VERSION + ")");
    app.require_subcommand(1);
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Log engine activity to stderr");

    bool json = false;
    auto* plugins = app.add_subcommand("plugins", "List model-family plugins and their state");
    plugins->add_flag("--json", json, "Machine-readable output");
    auto* models = app.add_subcommand("models", "List model packages (valid and invalid)");
    models->add_flag("--json", json, "Machine-readable output");
    auto* devices = app.add_subcommand("devices", "List compute devices");
    devices->add_flag("--json", json, "Machine-readable output");

    ImportArgs imp;
    auto* import = app.add_subcommand("import", "Make a model package from a Hugging Face model folder (GPT-2, Llama), "
                                                "a RAVE / nn~ audio export (.ts) or a TorchScript generator (torch.jit.save)");
    import->add_option("file", imp.file, "Model folder (config.json, *.safetensors, tokenizer), RAVE export (.ts) or "
                                         "TorchScript image generator (.pt, with --latent-dim)")
        ->required();
    import->add_option("--latent-dim", imp.latentDim, "TorchScript: size of the latent vector z");
    import->add_flag("--copy", imp.copy, "Folder: copy the files into the package instead of linking them");
    import->add_option("--dtype", imp.dtype,
                       "Folder: weights when loaded: auto (float32 on the CPU, bfloat16 on CUDA), float32, "
                       "int8 (8-bit on the CPU: a quarter of the memory, faster decoding), float16, bfloat16");
    import->add_option("--classes", imp.classes, "Number of classes (forward(z, labels)); 0 = none");
    import->add_option("--range", imp.range, "Output value range lo,hi (default -1,1)");
    import->add_option("--name", imp.name, "Display name (default: file name)");
    import->add_option("--id", imp.id, "Package id (default: from the name)");
    import->add_option("--out", imp.outDir, "Folder to create the package in (default: your model folder)");
    import->add_flag("--no-check", imp.skipCheck, "Skip the test sample after importing");

    GenerateArgs gen;
    auto* generate = app.add_subcommand("generate", "Run a model and write the result");
    generate->add_option("--model", gen.model, "Model id (see `latent-studio models`)")->required();
    generate->add_option("--task", gen.task, "Task, e.g. image.sample (default: the model's first)");
    generate->add_option("--prompt", gen.prompt, "Prompt text");
    generate->add_option("--seed", gen.seed, "Seed (default: random, printed)")->check(kWholeNumber);
    generate->add_option("--set", gen.sets, "Parameter value name=value (repeatable)");
    generate->add_option("--device", gen.device, "Device, e.g. cpu or cuda:0");
    generate->add_option("--out", gen.out, "Also write it to this file (.png for images, .txt or .md for text, "
                                           ".wav, .flac or .ogg for sound)");
    generate->add_option("--input", gen.input, "Input sound file for audio.transfer and audio.encode (WAV, FLAC, "
                                               "Ogg, MP3; converted to the model's rate)");
    generate->add_option("--bits", gen.bits, "Sound exports: 16 (default), 24, or float (WAV only)")
        ->check(CLI::IsMember({"16", "24", "float"}));
    generate->add_flag("--no-record", gen.noRecord, "Do not keep it in the results library");
    generate->add_option("--latent-from", gen.latentFrom,
                         "Decode the latent saved in this exported PNG or sound file (image.decode, audio.decode)");
    generate->add_flag("--progress", gen.progress, "Print progress to stderr");

    ResultsArgs res;
    auto* results = app.add_subcommand("results", "List and search the results library (newest first)");
    results->add_flag("--json", res.json, "Machine-readable output");
    results->add_option("--search", res.search, "Words that must occur in the prompt, tags or model id");
    results->add_option("--model", res.model, "Only results of this model id");
    results->add_option("--modality", res.modality, "Only image, text, audio or video results")
        ->check(CLI::IsMember({"image", "text", "audio", "video"}));
    results->add_flag("--favourites", res.favourites, "Only favourites");
    results->add_option("--limit", res.limit, "At most this many (default 20)")->check(CLI::Range(1, 100000));
    auto* show = results->add_subcommand("show", "One result in full: its settings and files");
    show->add_option("id", res.showId, "Result id (see `latent-studio results`)")->required()->check(kWholeNumber);
    show->add_flag("--json", res.json, "Machine-readable output");

    TrainArgs tr;
    auto* train = app.add_subcommand("train", "Train a new model package from data (resumable; Ctrl+C stops with a checkpoint)");
    train->add_option("modality", tr.modality, "What to train: image, text or audio")->required()->check(
        CLI::IsMember({"image", "text", "audio"}));
    train->add_option("--family", tr.family, "Model family: vae, gan or flow for images; gpt (default) for text; ddsp (default) for audio");
    train->add_option("--data", tr.data,
                      "Images: fashion-mnist, emoji or a folder. Text: files or folders (repeatable). Audio: fluidsynth, "
                      "hydrogen, sonic-pi (comma-separated)")
        ->required();
    train->add_option("--out", tr.out, "Package folder to write")->required();
    train->add_option("--steps", tr.steps, "Optimisation steps (default: the family's)")->check(kWholeNumber);
    train->add_option("--seed", tr.seed, "Seed (default: random, printed)")->check(kWholeNumber);
    train->add_option("--set", tr.sets, "Training parameter name=value (repeatable; e.g. batch=128)");
    train->add_option("--config", tr.config, "JSON file of training parameters ({\"width\": 256, ...})");
    train->add_option("--device", tr.device, "Device, e.g. cpu or cuda:0");
    train->add_flag("--fresh", tr.fresh, "Start afresh instead of resuming a checkpoint");
    train->add_flag("--quiet", tr.quiet, "Print only errors");

    // CLI11 reports a mistyped command as a missing one; name it instead.
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-v" || a == "--verbose") continue;
        const auto& subs = app.get_subcommands([](CLI::App*) { return true; });
        const bool known = std::any_of(subs.begin(), subs.end(), [&](CLI::App* sub) { return sub->check_name(a); });
        if (!a.empty() && a[0] != '-' && !known) {
            std::cerr << "error: unknown command '" << a << "' (commands: plugins, models, devices, import, "
                      << "generate, results, train; see --help)\n";
            return BadArguments;
        }
        break;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? Ok : BadArguments;
    }
    if (verbose) logger->set_level(spdlog::level::info);

    // The engine outlives the handlers below: an exception thrown inside a
    // plugin has its type and what() in the plugin's code, which the engine
    // unloads when it is destroyed.
    std::optional<Engine> engine;
    try {
        engine.emplace(StudioPaths::defaultEngineConfig());
        if (*plugins) return listPlugins(*engine, json);
        if (*models) return listModels(*engine, json);
        if (*devices) return listDevices(*engine, json);
        if (*import) return importModel(*engine, imp);
        if (*generate) return cli::generate(*engine, gen);
        if (*show) return showResult(*engine, res);
        if (*results) return listResults(*engine, res);
        if (*train) return cli::train(*engine, tr);
    } catch (const Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return e.kind() == ErrorKind::BadArgument ? BadArguments : ModelError;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return Failure;
    }
    return BadArguments;
}

}  // namespace latent::cli
