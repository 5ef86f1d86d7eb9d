#include "GptCheckpoint.h"

#include <fstream>
#include <sstream>

#include <torch/torch.h>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace latent::gpt::detail {
namespace {

json readJson(const fs::path& file) {
    std::ifstream in(file);
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Format, file.string() + " is not valid JSON: " + e.what());
    }
}

}  // namespace

TrainingCheckpoint::TrainingCheckpoint(const fs::path& out, bool resume, std::chrono::steady_clock::time_point started)
    : m_folder(out.parent_path() / (out.filename().string() + ".training")),
      m_stateFile(m_folder / "state.json"),
      m_weightsFile(m_folder / "checkpoint.safetensors"),
      m_optimizerFile(m_folder / "optimizer.pt"),
      m_started(started) {
    fs::create_directories(m_folder);
    m_resuming = resume && fs::exists(m_stateFile) && fs::exists(m_weightsFile) && fs::exists(m_optimizerFile) &&
                 fs::exists(m_folder / "vocab.json");
}

std::int64_t TrainingCheckpoint::restore(JobContext& ctx, std::map<std::string, at::Tensor>& params,
                                         const json& configJson, const std::vector<std::string>& data,
                                         std::mt19937_64& rng) {
    m_state = readJson(m_stateFile);
    if (m_state.value("config", json()) != configJson || m_state.value("data", json()) != json(data))
        throw Error(ErrorKind::BadArgument, "the checkpoint in " + m_folder.string() +
                                                " was made with other data or settings; delete that folder or "
                                                "set resume=false to start afresh");
    const SafetensorsFile st(m_weightsFile);
    for (auto& [name, t] : loadSafetensorsTensors(st, "cpu")) {
        if (!params.count(name) || params[name].sizes() != t.sizes())
            throw Error(ErrorKind::Format, m_weightsFile.string() + ": tensor '" + name + "' does not fit the model");
        torch::NoGradGuard ng;
        params[name].copy_(t);
    }
    const std::int64_t step = m_state.value("step", std::int64_t(0));
    m_wallBefore = m_state.value("wall_seconds", 0.0);
    std::istringstream(m_state.value("rng", std::string())) >> rng;
    ctx.log(LogLevel::Info, "resuming from step " + std::to_string(step));
    return step;
}

void TrainingCheckpoint::restoreOptimizer(torch::optim::AdamW& optimizer) const {
    torch::serialize::InputArchive archive;
    archive.load_from(m_optimizerFile.string());
    optimizer.load(archive);
}

void TrainingCheckpoint::save(const std::map<std::string, at::Tensor>& params, const torch::optim::AdamW& optimizer,
                              std::int64_t step, const json& configJson, const std::vector<std::string>& data,
                              const std::mt19937_64& rng) {
    std::map<std::string, at::Tensor> cpu;
    for (const auto& [n, t] : params) cpu[n] = t.detach().cpu();
    saveSafetensorsTensors(m_weightsFile, cpu);
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    const fs::path tmp = m_optimizerFile.string() + ".tmp";
    archive.save_to(tmp.string());
    fs::rename(tmp, m_optimizerFile);
    std::ostringstream r;
    r << rng;
    m_state = {{"step", step}, {"config", configJson}, {"data", data}, {"wall_seconds", wallSeconds()},
               {"rng", r.str()}, {"history", m_state.value("history", json::array())}};
    writeFileAtomic(m_stateFile, m_state.dump(1));
}

double TrainingCheckpoint::wallSeconds() const {
    return m_wallBefore + std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
}

void TrainingCheckpoint::addHistory(const json& entry) {
    auto history = m_state.value("history", json::array());
    history.push_back(entry);
    m_state["history"] = history;
}

json TrainingCheckpoint::history() const { return m_state.value("history", json::array()); }

}  // namespace latent::gpt::detail
