#include "jobs/QueueStore.h"

#include <nlohmann/json.hpp>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Json.h"

namespace latent {

namespace {
constexpr int kQueueFileVersion = 1;
constexpr std::size_t kMaxLatent = 1 << 20;

void readFloats(const JsonReader& j, const char* field, std::vector<float>& out) {
    if (auto values = j.optionalArray(field)) {
        if (values->size() > kMaxLatent) values->failHere("is longer than a latent can be");
        for (std::size_t k = 0; k < values->size(); ++k) out.push_back(float(values->at(k).asNumber(-1e30, 1e30)));
    }
}
}  // namespace

bool isPersistable(const JobRequest& r) {
    return r.record && !r.work && r.lane.empty() && r.family.empty() && !r.modelId.empty() && !r.inputs.image &&
           !r.inputs.audio;
}

void saveQueue(const std::filesystem::path& file, const std::vector<JobRequest>& requests, bool paused) {
    if (requests.empty() && !paused) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
        return;
    }
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& r : requests) {
        nlohmann::json j = {{"label", r.label},   {"model", r.modelId},   {"task", r.task},
                            {"params", paramMapToJson(r.params)},       {"prompt", r.inputs.prompt},
                            {"device", r.device}, {"priority", r.priority}};
        if (r.seed) j["seed"] = *r.seed;
        if (!r.inputs.latent.empty()) j["latent"] = r.inputs.latent;
        if (!r.inputs.latentOffset.empty()) j["latent_offset"] = r.inputs.latentOffset;
        if (!r.inputs.latentScale.empty()) j["latent_scale"] = r.inputs.latentScale;
        if (!r.inputs.continuationTokens.empty()) j["continuation_tokens"] = r.inputs.continuationTokens;
        jobs.push_back(std::move(j));
    }
    const nlohmann::json doc = {{"version", kQueueFileVersion}, {"paused", paused}, {"jobs", std::move(jobs)}};
    writeFileAtomic(file, dumpJson(doc, 1), {.createParents = true});
}

SavedQueue loadQueue(const std::filesystem::path& file) {
    SavedQueue out;
    const auto doc = readJsonFileIfPresent(file);
    if (!doc) return out;
    const JsonReader root(*doc, file.string());
    if (root.integer("version", 1, 1 << 20) > kQueueFileVersion)
        root.fail("version", "is newer than this Latent Studio reads");
    out.paused = root.boolean("paused", false);
    const JsonReader jobs = root.array("jobs");
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const JsonReader j = jobs.at(i);
        JobRequest r;
        r.label = j.string("label", "");
        r.modelId = j.nonEmptyString("model");
        r.task = j.string("task", "");
        if (auto params = j.optionalObject("params")) r.params = paramMapFromJson(params->value());
        r.inputs.prompt = j.string("prompt", "");
        r.device = j.string("device", "");
        r.priority = int(j.integer("priority", 0, -1000000, 1000000));
        if (j.has("seed")) r.seed = j.unsignedInteger("seed");
        readFloats(j, "latent", r.inputs.latent);
        readFloats(j, "latent_offset", r.inputs.latentOffset);
        readFloats(j, "latent_scale", r.inputs.latentScale);
        if (auto tokens = j.optionalArray("continuation_tokens")) {
            if (tokens->size() > kMaxLatent) tokens->failHere("is longer than a context can be");
            for (std::size_t k = 0; k < tokens->size(); ++k)
                r.inputs.continuationTokens.push_back(std::int32_t(tokens->at(k).asInteger(0, INT32_MAX)));
        }
        out.requests.push_back(std::move(r));
    }
    return out;
}

}  // namespace latent
