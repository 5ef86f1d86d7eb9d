#pragma once
// One function per subcommand; each returns an ExitCode.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latent/ParamSpec.h"

namespace latent {
class Engine;
}

namespace latent::cli {

int listPlugins(Engine& engine, bool json);
int listModels(Engine& engine, bool json);
int listDevices(Engine& engine, bool json);

struct ImportArgs {
    std::string file;
    int latentDim = 0;
    int classes = 0;
    std::string range = "-1,1";
    std::string name;
    std::optional<std::string> id;  // given but empty is refused
    std::string outDir;  // default: the user model dir
    bool skipCheck = false;
    bool copy = false;   // folder import: copy instead of link
    std::string dtype;   // folder import: the package's dtype ("" = the family's default)
};
int importModel(Engine& engine, const ImportArgs& args);

struct GenerateArgs {
    std::string model;
    std::string task;
    std::string prompt;
    std::optional<unsigned long long> seed;
    std::vector<std::string> sets;  // name=value
    std::string device;
    std::string out;
    std::string latentFrom;  // a PNG or sound file whose provenance holds a latent to decode
    std::string input;       // a sound file for audio.transfer / audio.encode
    std::string bits;        // audio exports: 16 (default), 24 or float
    bool progress = false;
    bool noRecord = false;   // keep it out of the results library
};
int generate(Engine& engine, const GenerateArgs& args);

struct ResultsArgs {
    bool json = false;
    std::string search;
    std::string model;
    std::string modality;
    bool favourites = false;
    int limit = 20;
    std::int64_t showId = 0;  // `results show ID`
};
int listResults(Engine& engine, const ResultsArgs& args);
int showResult(Engine& engine, const ResultsArgs& args);

struct TrainArgs {
    std::string modality;  // "image", "text"
    std::string family;    // "vae", "gan", "flow"; "gpt" (text default)
    std::vector<std::string> data;
    std::string config;    // JSON file of parameter values
    std::string out;
    long long steps = 0;   // 0: the family's default
    std::optional<unsigned long long> seed;
    std::vector<std::string> sets;
    std::string device;
    bool fresh = false;    // ignore an existing checkpoint
    bool quiet = false;
};
int train(Engine& engine, const TrainArgs& args);

// --set name=value texts -> values typed by the schema; names the unknown ones.
ParamMap parseParamSets(const std::vector<std::string>& sets, const ParamSchema& schema);

// `train --config FILE`: its members as name=value texts for parseParamSets.
// Error(BadArgument) names the file and the member that is not a value.
std::vector<std::string> configFileSets(const std::string& file);

}  // namespace latent::cli
