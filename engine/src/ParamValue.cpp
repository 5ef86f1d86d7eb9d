#include "latent/ParamValue.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

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

nlohmann::json paramValueToJson(const ParamValue& value) {
    return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

std::optional<ParamValue> paramValueFromJson(const nlohmann::json& v) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) {
        // Above INT64_MAX an unsigned would wrap: keep its magnitude as a double.
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) return v.get<double>();
        return v.get<std::int64_t>();
    }
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    return std::nullopt;
}

nlohmann::json paramMapToJson(const ParamMap& values) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, value] : values) out[name] = paramValueToJson(value);
    return out;
}

ParamMap paramMapFromJson(const nlohmann::json& object) {
    ParamMap out;
    if (!object.is_object()) return out;
    for (const auto& [name, value] : object.items())
        if (auto v = paramValueFromJson(value)) out[name] = std::move(*v);
    return out;
}

}  // namespace latent
