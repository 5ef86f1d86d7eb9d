#include "GptCheckpoint.h"

#include <climits>
#include <sstream>

#include <torch/torch.h>

#include "latent/Error.h"
#include "latent/PackageFolder.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::gpt::detail {

namespace {
constexpr const char* kState = "state.json";
constexpr const char* kWeights = "checkpoint.safetensors";
constexpr const char* kOptimizer = "optimizer.pt";
}  // namespace

TrainingCheckpoint::TrainingCheckpoint(const fs::path& out, bool resume, std::chrono::steady_clock::time_point started)
    : m_folder(trainingRunFolder(out)), m_sets(m_folder), m_started(started) {
    const auto set = m_sets.latest();
    m_resuming = resume && set && fs::exists(*set / kState) && fs::exists(*set / kWeights) &&
                 fs::exists(*set / kOptimizer) && fs::exists(m_folder / "vocab.json");
    if (m_resuming) {
        m_set = *set;
    } else if (set) {
        // A fresh run learns a new tokenizer: an older set must not be
        // resumed with it later. The folder is ours (trainingRunFolder).
        std::error_code ec;
        fs::remove_all(*set, ec);
    }
}

std::int64_t TrainingCheckpoint::restore(JobContext& ctx, std::map<std::string, at::Tensor>& params,
                                         const json& configJson, const std::vector<std::string>& data,
                                         std::mt19937_64& rng) {
    const fs::path stateFile = m_set / kState;
    m_state = readJsonFile(stateFile);
    const JsonReader state(m_state, stateFile.string());
    if (!m_state.is_object()) state.failHere("must be a JSON object");
    if (state.raw("config") != configJson || state.raw("data") != json(data))
        throw Error(ErrorKind::BadArgument, "the checkpoint in " + m_folder.string() +
                                                " was made with other data or settings; delete that folder or "
                                                "set resume=false to start afresh");
    const SafetensorsFile st(m_set / kWeights);
    for (auto& [name, t] : loadSafetensorsTensors(st, "cpu")) {
        if (!params.count(name) || params[name].sizes() != t.sizes())
            throw Error(ErrorKind::Format, (m_set / kWeights).string() + ": tensor '" + name + "' does not fit the model");
        torch::NoGradGuard ng;
        params[name].copy_(t);
    }
    const std::int64_t step = state.integer("step", 0, INT64_MAX);
    m_wallBefore = state.number("wall_seconds", 0.0, 0.0, 1e12);
    std::istringstream(state.string("rng")) >> rng;
    if (!state.has("history") || !state.raw("history").is_array()) m_state["history"] = json::array();
    ctx.log(LogLevel::Info, "resuming from step " + std::to_string(step));
    return step;
}

void TrainingCheckpoint::restoreOptimizer(torch::optim::AdamW& optimizer) const {
    torch::serialize::InputArchive archive;
    archive.load_from((m_set / kOptimizer).string());
    optimizer.load(archive);
}

void TrainingCheckpoint::save(const std::map<std::string, at::Tensor>& params, const torch::optim::AdamW& optimizer,
                              std::int64_t step, const json& configJson, const std::vector<std::string>& data,
                              const std::mt19937_64& rng) {
    std::map<std::string, at::Tensor> cpu;
    for (const auto& [n, t] : params) cpu[n] = t.detach().cpu();
    std::ostringstream r;
    r << rng;
    m_state = {{"step", step}, {"config", configJson}, {"data", data}, {"wall_seconds", wallSeconds()},
               {"rng", r.str()}, {"history", history()}};
    // Weights, optimiser and step as one set: a crash mid-save keeps the last.
    m_sets.save([&](const fs::path& dir) {
        saveSafetensorsTensors(dir / kWeights, cpu);
        torch::serialize::OutputArchive archive;
        optimizer.save(archive);
        archive.save_to((dir / kOptimizer).string());
        writeFileAtomic(dir / kState, dumpJson(m_state, 1));
    });
}

double TrainingCheckpoint::wallSeconds() const {
    return m_wallBefore + std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
}

void TrainingCheckpoint::addHistory(const json& entry) {
    json list = history();
    list.push_back(entry);
    m_state["history"] = std::move(list);
}

json TrainingCheckpoint::history() const {
    const auto it = m_state.find("history");
    return it != m_state.end() && it->is_array() ? *it : json::array();
}

}  // namespace latent::gpt::detail
