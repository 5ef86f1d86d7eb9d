#include "latent/Provenance.h"

#include <nlohmann/json.hpp>

#include "latent/Error.h"

namespace latent {
namespace {

nlohmann::json toJson(const ParamValue& v) {
    return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

ParamValue fromJson(const nlohmann::json& j) {
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<std::int64_t>();
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) return j.get<std::string>();
    return j.dump();
}

}  // namespace

std::string provenanceToJson(const Provenance& p) {
    nlohmann::ordered_json j;
    j["app_version"] = p.appVersion;
    j["plugin"] = {{"id", p.pluginId}, {"version", p.pluginVersion}};
    j["model"] = {{"id", p.modelId}, {"sha256", p.modelSha256}};
    j["task"] = p.task;
    if (!p.prompt.empty()) j["prompt"] = p.prompt;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [k, v] : p.params) params[k] = toJson(v);
    j["params"] = params;
    j["seed"] = p.seed;
    j["device"] = p.device;
    j["dtype"] = p.dtype;
    j["torch_version"] = p.torchVersion;
    if (!p.latent.empty()) j["latent"] = p.latent;
    if (!p.latentBase.empty() || !p.sliders.empty()) {
        nlohmann::ordered_json edit;
        edit["base"] = p.latentBase;
        nlohmann::ordered_json sliders = nlohmann::ordered_json::object();
        for (const auto& [name, value] : p.sliders) sliders[name] = value;
        edit["sliders"] = sliders;
        j["latent_edit"] = edit;
    }
    return j.dump();
}

Provenance provenanceFromJson(const std::string& text) {
    Provenance p;
    try {
        const auto j = nlohmann::json::parse(text);
        p.appVersion = j.value("app_version", "");
        if (j.contains("plugin")) {
            p.pluginId = j["plugin"].value("id", "");
            p.pluginVersion = j["plugin"].value("version", "");
        }
        if (j.contains("model")) {
            p.modelId = j["model"].value("id", "");
            p.modelSha256 = j["model"].value("sha256", "");
        }
        p.task = j.value("task", "");
        p.prompt = j.value("prompt", "");
        if (j.contains("params") && j["params"].is_object())
            for (const auto& [k, v] : j["params"].items()) p.params[k] = fromJson(v);
        p.seed = j.value("seed", std::uint64_t(0));
        p.device = j.value("device", "");
        p.dtype = j.value("dtype", "");
        p.torchVersion = j.value("torch_version", "");
        if (j.contains("latent")) p.latent = j["latent"].get<std::vector<float>>();
        if (j.contains("latent_edit")) {
            const auto& edit = j["latent_edit"];
            if (edit.contains("base")) p.latentBase = edit["base"].get<std::vector<float>>();
            if (edit.contains("sliders"))
                for (const auto& [name, value] : edit["sliders"].items()) p.sliders[name] = value.get<double>();
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Format, std::string("provenance is not valid JSON: ") + e.what());
    }
    return p;
}

}  // namespace latent
