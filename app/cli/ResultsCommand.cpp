// `results`: the results library from the command line: list and search,
// and one result in full.
#include <ctime>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/CliMain.h"
#include "cli/Commands.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/formats/Json.h"
#include "latent/library/ResultLibrary.h"

using nlohmann::json;

namespace latent::cli {
namespace {

ResultLibrary& library(Engine& engine) {
    if (auto* lib = engine.results()) return *lib;
    const std::string why = engine.recordingProblem();
    throw Error(ErrorKind::Io, "the results library cannot be opened" + (why.empty() ? std::string() : ": " + why));
}

std::string localTime(std::int64_t ms) {
    const std::time_t t = std::time_t(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

// One line of a prompt or text, at most `n` characters (whole UTF-8 sequences).
std::string oneLine(const std::string& text, std::size_t n) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) != 0x80 && ++chars > n) return out + "…";
        out += (c == '\n' || c == '\t') ? ' ' : text[i];
    }
    return out;
}

json recordJson(const ResultLibrary& lib, const ResultRecord& r, bool withProvenance) {
    json files = json::array();
    for (const auto& f : r.files)
        files.push_back({{"path", lib.absolute(f.path).string()}, {"kind", f.kind}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    json j = {{"id", r.id},          {"created_ms", r.createdMs}, {"modality", r.modality}, {"model", r.modelId},
              {"task", r.task},      {"label", r.label},          {"state", r.state},       {"prompt", r.prompt},
              {"seed", r.seed},      {"duration_ms", r.durationMs}, {"rating", r.rating},   {"favourite", r.favourite},
              {"tags", r.tags},      {"files", files}};
    if (!r.thumbnail.empty()) j["thumbnail"] = lib.absolute(r.thumbnail).string();
    if (r.trashedMs > 0) j["trashed_ms"] = r.trashedMs;
    if (withProvenance) {
        try {
            j["provenance"] = parseJson(r.provenanceJson, "result " + std::to_string(r.id));
        } catch (const Error&) {
            j["provenance"] = r.provenanceJson;  // kept as text: never hide what was stored
        }
    }
    return j;
}

}  // namespace

int listResults(Engine& engine, const ResultsArgs& args) {
    ResultLibrary& lib = library(engine);
    ResultQuery q;
    q.search = args.search;
    q.modelId = args.model;
    q.modality = args.modality;
    q.favouritesOnly = args.favourites;
    q.limit = args.limit;
    const auto found = lib.query(q);
    if (args.json) {
        json out = json::array();
        for (const auto& r : found) out.push_back(recordJson(lib, r, false));
        std::cout << dumpJson(out, 2) << "\n";
        return Ok;
    }
    if (found.empty()) {
        std::cout << (args.search.empty() && args.model.empty() ? "no results yet\n" : "no results match\n");
        return Ok;
    }
    for (const auto& r : found) {
        std::cout << std::right << std::setw(6) << r.id << "  " << localTime(r.createdMs) << "  " << std::left
                  << std::setw(6) << r.modality << std::setw(20) << r.modelId << (r.favourite ? "★ " : "  ")
                  << oneLine(r.prompt.empty() ? "(seed " + std::to_string(r.seed) + ")" : r.prompt, 60) << "\n";
    }
    std::cout << found.size() << " of " << lib.count() << " result(s)\n";
    return Ok;
}

int showResult(Engine& engine, const ResultsArgs& args) {
    ResultLibrary& lib = library(engine);
    const auto r = lib.get(args.showId);
    if (!r) throw Error(ErrorKind::BadArgument, "there is no result " + std::to_string(args.showId) +
                                                    " (see `latent-studio results`)");
    const auto damaged = lib.damagedResults({r->id});
    if (args.json) {
        json j = recordJson(lib, *r, true);
        j["intact"] = damaged.empty();
        std::cout << dumpJson(j, 2) << "\n";
        return Ok;
    }
    std::cout << "result " << r->id << (r->trashedMs > 0 ? " (in the trash)" : "") << "\n"
              << "  made      " << localTime(r->createdMs) << " in " << std::fixed << std::setprecision(0)
              << r->durationMs << " ms (" << r->state << ")\n"
              << "  model     " << r->modelId << " · " << r->task << "\n"
              << "  seed      " << r->seed << "\n";
    if (!r->prompt.empty()) std::cout << "  prompt    " << oneLine(r->prompt, 400) << "\n";
    if (!r->tags.empty()) {
        std::cout << "  tags     ";
        for (const auto& t : r->tags) std::cout << " " << t;
        std::cout << "\n";
    }
    if (r->favourite || r->rating > 0) std::cout << "  rating    " << r->rating << (r->favourite ? " ★" : "") << "\n";
    for (const auto& f : r->files) std::cout << "  file      " << lib.absolute(f.path).string() << "\n";
    if (!damaged.empty()) std::cout << "  warning   its files are missing or changed since they were saved\n";
    std::cout << "  settings  " << r->provenanceJson << "\n";
    return Ok;
}

}  // namespace latent::cli
