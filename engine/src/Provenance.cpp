#include "latent/Provenance.h"

#include <cfloat>

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/Json.h"

namespace latent {

std::string provenanceToJson(const Provenance& p) {
    nlohmann::ordered_json j;
    j["app_version"] = p.appVersion;
    j["plugin"] = {{"id", p.pluginId}, {"version", p.pluginVersion}};
    j["model"] = {{"id", p.modelId}, {"sha256", p.modelSha256}};
    j["task"] = p.task;
    if (!p.prompt.empty()) j["prompt"] = p.prompt;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [k, v] : p.params) params[k] = paramValueToJson(v);
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
    if (!p.latentOffset.empty()) j["latent_offset"] = p.latentOffset;
    if (!p.latentScale.empty()) j["latent_scale"] = p.latentScale;
    if (!p.inputName.empty() || !p.inputSha256.empty()) j["input"] = {{"name", p.inputName}, {"sha256", p.inputSha256}};
    return dumpJson(j);
}

namespace {

std::vector<float> floatList(const JsonReader& list) {
    std::vector<float> out(list.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<float>(list.at(i).asNumber(-FLT_MAX, FLT_MAX));
    return out;
}

}  // namespace

Provenance provenanceFromJson(const std::string& text) {
    // Provenance comes from files anyone can make (PNG chunks, sidecars), so
    // every field is checked; a wrong one is Error(Format) naming it.
    const auto j = parseJson(text, "provenance", ErrorKind::Format, {16u << 20, 16});
    const JsonReader r(j, "provenance", ErrorKind::Format);
    Provenance p;
    p.appVersion = r.string("app_version", "");
    if (const auto plugin = r.optionalObject("plugin")) {
        p.pluginId = plugin->string("id", "");
        p.pluginVersion = plugin->string("version", "");
    }
    if (const auto model = r.optionalObject("model")) {
        p.modelId = model->string("id", "");
        p.modelSha256 = model->string("sha256", "");
    }
    p.task = r.string("task", "");
    p.prompt = r.string("prompt", "");
    if (const auto params = r.optionalObject("params")) {
        for (const auto& [name, value] : params->members()) {
            // Lists and objects are not parameter values; keep them readable.
            if (auto v = paramValueFromJson(value.value())) p.params[name] = std::move(*v);
            else p.params[name] = dumpJson(value.value());
        }
    }
    p.seed = static_cast<std::uint64_t>(r.integer("seed", 0, 0, INT64_MAX));
    p.device = r.string("device", "");
    p.dtype = r.string("dtype", "");
    p.torchVersion = r.string("torch_version", "");
    if (const auto latent = r.optionalArray("latent")) p.latent = floatList(*latent);
    if (const auto edit = r.optionalObject("latent_edit")) {
        if (const auto base = edit->optionalArray("base")) p.latentBase = floatList(*base);
        if (const auto sliders = edit->optionalObject("sliders"))
            for (const auto& [name, value] : sliders->members()) p.sliders[name] = value.asNumber(-1e9, 1e9);
    }
    if (const auto offset = r.optionalArray("latent_offset")) p.latentOffset = floatList(*offset);
    if (const auto scale = r.optionalArray("latent_scale")) p.latentScale = floatList(*scale);
    if (const auto input = r.optionalObject("input")) {
        p.inputName = input->string("name", "");
        p.inputSha256 = input->string("sha256", "");
    }
    return p;
}

}  // namespace latent
