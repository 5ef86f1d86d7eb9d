// --set name=value parsing shared by the commands that run tasks, and the
// JSON file of such values train --config reads.
#include "cli/Commands.h"
#include "latent/Error.h"
#include "latent/ParamValue.h"
#include "latent/formats/Json.h"

namespace latent::cli {

ParamMap parseParamSets(const std::vector<std::string>& sets, const ParamSchema& schema) {
    ParamMap out;
    for (const auto& s : sets) {
        const auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error(ErrorKind::BadArgument, "--set expects name=value, got '" + s + "'");
        const std::string name = s.substr(0, eq);
        const ParamSpec* spec = nullptr;
        for (const auto& p : schema)
            if (p.name == name) spec = &p;
        if (!spec) {
            std::string known;
            for (const auto& p : schema) known += (known.empty() ? "" : ", ") + p.name;
            throw Error(ErrorKind::BadArgument, "unknown parameter '" + name + "' (known: " + known + ")");
        }
        out[name] = parseParamText(*spec, s.substr(eq + 1));
    }
    return out;
}

std::vector<std::string> configFileSets(const std::string& file) {
    const nlohmann::json j = readJsonFile(file, ErrorKind::BadArgument, {1u << 20, 8});
    const JsonReader r(j, file, ErrorKind::BadArgument);
    std::vector<std::string> sets;
    for (const auto& [key, value] : r.members()) {
        const auto v = paramValueFromJson(value.value());
        if (!v) value.failHere("must be a number, a string or true/false");
        sets.push_back(key + "=" + paramValueToString(*v));
    }
    return sets;
}

}  // namespace latent::cli
