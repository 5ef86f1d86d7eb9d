// `generate`: run a model once and write what it made.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "cli/CliMain.h"
#include "cli/CliSink.h"
#include "cli/Commands.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/TaskInfo.h"
#include "latent/formats/AtomicFile.h"
#include "latent/library/ResultLibrary.h"
#include "latent/media/AudioExport.h"
#include "latent/media/ImageExport.h"

namespace fs = std::filesystem;

namespace latent::cli {
namespace {

std::atomic<bool> g_interrupted{false};

// name.png -> name-3.png for batch item 3.
fs::path indexedPath(const fs::path& out, int index, std::size_t count) {
    if (count <= 1) return out;
    return out.parent_path() / (out.stem().string() + "-" + std::to_string(index) + out.extension().string());
}

AudioFileFormat audioFormat(const std::string& out, const std::string& bits) {
    const AudioFileFormat byName = audioFormatForPath(out);
    const bool flac = byName == AudioFileFormat::Flac16;
    if (bits.empty() || bits == "16") return byName;
    if (byName == AudioFileFormat::OggVorbis)
        throw Error(ErrorKind::BadArgument, "--bits does not apply to Ogg Vorbis (a lossy format)");
    if (bits == "24") return flac ? AudioFileFormat::Flac24 : AudioFileFormat::Wav24;
    if (bits == "float" && !flac) return AudioFileFormat::WavFloat;
    throw Error(ErrorKind::BadArgument, "--bits takes 16 or 24" + std::string(flac ? "" : " or float") + ", not '" +
                                            bits + "'");
}

}  // namespace

int generate(Engine& engine, const GenerateArgs& args) {
    const auto tasks = engine.tasksForModel(args.model);  // throws: unknown model, broken plugin
    const TaskInfo* task = &tasks.front();
    std::vector<float> latent;
    Provenance saved;
    const bool fromAudio = !args.latentFrom.empty() && audioFormatForPath(args.latentFrom) != AudioFileFormat::Invalid;
    if (!args.latentFrom.empty()) {
        // Re-render the latent saved in an export (its provenance).
        const auto read = fromAudio ? readAudioProvenance(args.latentFrom) : readPngProvenance(args.latentFrom);
        if (!read || read->latent.empty())
            throw Error(ErrorKind::BadArgument, args.latentFrom + " carries no latent (export it from a "
                                                "latent-space model with Latent Studio)");
        saved = *read;
        if (saved.modelId != args.model)
            std::cerr << "note: " << args.latentFrom << " was made with model '" << saved.modelId << "'\n";
        latent = saved.latent;
    }
    const std::string wantedTask = !args.task.empty() ? args.task
                                   : latent.empty()   ? ""
                                   : fromAudio        ? "audio.decode"
                                                      : "image.decode";
    if (!wantedTask.empty()) {
        task = nullptr;
        for (const auto& t : tasks)
            if (t.id == wantedTask) task = &t;
        if (!task) {
            std::string known;
            for (const auto& t : tasks) known += (known.empty() ? "" : ", ") + t.id;
            throw Error(ErrorKind::BadArgument, "model '" + args.model + "' has no task '" + wantedTask +
                                                    "' (it offers: " + known + ")");
        }
    }
    const std::string modality = taskModality(task->id);
    if (modality != "image" && modality != "text" && modality != "audio")
        throw Error(ErrorKind::BadArgument, "writing " + modality + " results is not supported by this version");
    if (!args.input.empty()) {
        if (modality != "audio") throw Error(ErrorKind::BadArgument, "--input is for audio tasks (audio.transfer)");
        probeAudioFile(args.input);  // a missing or unreadable file is refused before the model loads
    }
    const bool record = !args.noRecord && engine.results();
    if (args.out.empty() && !record)
        throw Error(ErrorKind::BadArgument,
                    args.noRecord ? "with --no-record, give --out FILE: nothing else would keep the result"
                                  : "the results library is off (" + engine.recordingProblem() +
                                        "): give --out FILE to keep the result");
    if (!args.out.empty()) {
        const std::string ext = fs::path(args.out).extension().string();
        if (modality == "image" && ext != ".png")
            throw Error(ErrorKind::BadArgument, "image results are written as PNG: use --out NAME.png");
        if (modality == "text" && ext != ".txt" && ext != ".md")
            throw Error(ErrorKind::BadArgument, "text results are written as .txt or .md");
        if (modality == "audio" && audioFormatForPath(args.out) == AudioFileFormat::Invalid)
            throw Error(ErrorKind::BadArgument, "audio results are written as .wav, .flac or .ogg");
        // Refuse a read-only file, a symlink or a missing folder now, not after the render.
        checkWritableTarget(args.out);
    }

    JobRequest request;
    request.modelId = args.model;
    request.task = task->id;
    request.params = parseParamSets(args.sets, task->params);
    request.inputs.prompt = args.prompt;
    request.inputs.latent = std::move(latent);
    if (fromAudio) {
        request.inputs.latentOffset = saved.latentOffset;
        request.inputs.latentScale = saved.latentScale;
    }
    if (!args.input.empty()) request.inputs.audioFile = fs::absolute(args.input).string();
    if (args.seed) request.seed = *args.seed;
    request.device = args.device;
    request.record = !args.noRecord;
    auto sink = std::make_shared<CliSink>(args.progress);
    request.sink = sink;

    g_interrupted = false;
    auto previous = std::signal(SIGINT, [](int) { g_interrupted = true; });
    const JobId id = engine.submit(std::move(request));
    while (!engine.wait(id, std::chrono::milliseconds(100)))
        if (g_interrupted) engine.cancel(id);
    std::signal(SIGINT, previous);

    std::lock_guard lock(sink->mutex);
    if (sink->state == JobState::Cancelled) {
        std::cerr << "cancelled\n";
        return Interrupted;
    }
    if (sink->state != JobState::Finished) {
        std::cerr << "error: " << sink->error << "\n";
        return sink->errorKind == ErrorKind::BadArgument ? BadArguments : ModelError;
    }
    if (modality == "image" && sink->images.empty()) {
        std::cerr << "error: the model finished without producing an image\n";
        return ModelError;
    }
    if (modality == "audio" && task->id != "audio.encode" && sink->audio.frames() == 0) {
        std::cerr << "error: the model finished without producing sound\n";
        return ModelError;
    }
    if (!args.out.empty()) {
        if (modality == "image") {
            for (const auto& [index, frame] : sink->images) {
                const fs::path path = indexedPath(args.out, index, sink->images.size());
                Provenance provenance = sink->provenance;
                if (frame.latent) provenance.latent = *frame.latent;
                exportPng(path, frame, provenance);
                std::cout << path.string() << "\n";
            }
        } else if (modality == "audio") {
            Provenance provenance = sink->provenance;
            attachAudioLatent(provenance, sink->audioLatent);
            exportAudio(args.out, sink->audio, audioFormat(args.out, args.bits), provenance);
            std::cout << args.out << "\n";
        } else {
            writeFileAtomic(args.out, sink->text);
            std::cout << args.out << "\n";
        }
    }
    if (record) {
        // The library writes on its own thread; the job's outcome follows its end closely.
        const auto kept = engine.waitForResult(id, std::chrono::seconds(60));
        if (kept && kept->kept()) {
            std::cerr << "result " << kept->resultId << " (latent-studio results show " << kept->resultId << ")\n";
            if (args.out.empty())
                if (const auto r = engine.results()->get(kept->resultId))
                    for (const auto& f : r->files) std::cout << engine.results()->absolute(f.path).string() << "\n";
        } else {
            // The library's own reason is already in the log (stderr); a
            // timeout is not.
            if (!kept) std::cerr << "warning: not kept in the library: it did not answer in time\n";
            if (args.out.empty()) return Failure;  // nothing else holds it
        }
    }
    std::cerr << "seed " << sink->provenance.seed << "\n";
    return Ok;
}

}  // namespace latent::cli
