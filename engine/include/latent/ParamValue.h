#pragma once
// Plain parameter values: what presets, history, provenance and exports store.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace latent {

using ParamValue = std::variant<bool, std::int64_t, double, std::string>;
using ParamMap = std::map<std::string, ParamValue>;

std::string paramValueToString(const ParamValue& value);

}  // namespace latent
