// `plugins`, `models`, `devices`: what the engine found, as text or JSON.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/CliMain.h"
#include "cli/Commands.h"
#include "latent/Engine.h"
#include "latent/ModelRegistry.h"
#include "latent/PluginHost.h"
#include "latent/formats/Json.h"

using nlohmann::json;

namespace latent::cli {

int listPlugins(Engine& engine, bool asJson) {
    engine.plugins().loadAll();  // report real states, not just what the manifests claim
    json out = json::array();
    for (const auto& p : engine.plugins().plugins()) {
        if (asJson) {
            out.push_back({{"id", p.id}, {"name", p.name}, {"version", p.version}, {"abi", p.abi},
                           {"tasks", p.tasks}, {"modalities", p.modalities}, {"dir", p.dir.string()},
                           {"state", pluginStateName(p.state)}, {"error", p.error}});
        } else {
            std::cout << std::left << std::setw(22) << p.id << std::setw(10) << p.version << std::setw(11)
                      << pluginStateName(p.state) << p.name << "\n";
            if (!p.error.empty()) std::cout << "    error: " << p.error << "\n";
        }
    }
    if (asJson) std::cout << dumpJson(out, 2) << "\n";
    else if (out.empty() && engine.plugins().plugins().empty()) std::cout << "no plugins found\n";
    return Ok;
}

int listModels(Engine& engine, bool asJson) {
    json out = json::array();
    const auto entries = engine.models().entries();
    for (const auto& e : entries) {
        const auto& p = e.package;
        if (asJson) {
            out.push_back({{"id", p.id}, {"name", p.name}, {"family", p.family}, {"version", p.version},
                           {"tasks", p.tasks}, {"dir", p.dir.string()}, {"valid", e.valid}, {"error", e.error},
                           {"license", p.license}});
        } else {
            std::cout << std::left << std::setw(28) << p.id << std::setw(20) << p.family
                      << (e.valid ? p.name : "INVALID") << "\n";
            if (!e.valid) std::cout << "    error: " << e.error << "\n";
        }
    }
    if (asJson) std::cout << dumpJson(out, 2) << "\n";
    else if (entries.empty()) std::cout << "no model packages found (add one with `latent-studio import`)\n";
    return Ok;
}

int listDevices(Engine& engine, bool asJson) {
    json out = json::array();
    for (const auto& d : engine.devices()) {
        if (asJson) {
            out.push_back({{"id", d.id}, {"name", d.name}, {"memory_bytes", d.totalMemoryBytes}, {"cuda", d.cuda},
                           {"default", d.id == engine.config().defaultDevice}});
        } else {
            std::cout << std::left << std::setw(10) << d.id << d.name;
            if (d.totalMemoryBytes) std::cout << ", " << std::fixed << std::setprecision(1)
                                              << d.totalMemoryBytes / double(1ull << 30) << " GiB";
            std::cout << "\n";
        }
    }
    if (asJson) std::cout << dumpJson(out, 2) << "\n";
    return Ok;
}

}  // namespace latent::cli
