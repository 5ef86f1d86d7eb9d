// --set name=value parsing shared by the commands that run tasks.
#include "cli/Commands.h"
#include "latent/Error.h"

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

}  // namespace latent::cli
