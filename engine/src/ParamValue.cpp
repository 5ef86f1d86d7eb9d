#include "latent/ParamValue.h"

#include <cmath>
#include <cstdio>

namespace latent {

std::string paramValueToString(const ParamValue& value) {
    struct Visitor {
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const {
            // Shortest text that reads back to the same double.
            char buf[64];
            for (int precision = 6; precision <= 17; ++precision) {
                std::snprintf(buf, sizeof buf, "%.*g", precision, v);
                if (std::strtod(buf, nullptr) == v) break;
            }
            return buf;
        }
        std::string operator()(const std::string& v) const { return v; }
    };
    return std::visit(Visitor{}, value);
}

}  // namespace latent
