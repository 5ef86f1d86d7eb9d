#pragma once
// One function per subcommand; each returns an ExitCode.
#include <optional>
#include <string>
#include <vector>

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
    std::string id;
    std::string outDir;  // default: the user model dir
    bool skipCheck = false;
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
    bool progress = false;
};
int generate(Engine& engine, const GenerateArgs& args);

}  // namespace latent::cli
