#pragma once
// Plain parameter values: what presets, history, provenance and exports store.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json_fwd.hpp>

namespace latent {

using ParamValue = std::variant<bool, std::int64_t, double, std::string>;
using ParamMap = std::map<std::string, ParamValue>;

std::string paramValueToString(const ParamValue& value);

// The one ParamValue <-> JSON codec (provenance, package defaults, settings).
nlohmann::json paramValueToJson(const ParamValue& value);
// true/false, whole numbers, numbers and strings; anything else is nullopt.
std::optional<ParamValue> paramValueFromJson(const nlohmann::json& value);
nlohmann::json paramMapToJson(const ParamMap& values);
// The members of a JSON object that are parameter values (others skipped).
ParamMap paramMapFromJson(const nlohmann::json& object);

}  // namespace latent
