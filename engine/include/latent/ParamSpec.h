#pragma once
// One entry of a family's parameter schema. The UI renders any schema with one
// generic form; the engine validates every request against it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latent/ParamValue.h"

namespace latent {

// Persisted in presets: start at 1, never renumber.
enum class ParamType {
    Invalid = 0,
    Int = 1,
    Float = 2,
    Bool = 3,
    Choice = 4,  // one of `choices`, stored as a string
    String = 5,
};

struct ParamSpec {
    std::string name;         // key in ParamMap, e.g. "temperature"
    ParamType type = ParamType::Invalid;
    std::string label;        // shown in the form
    std::string description;  // tooltip
    std::string unit;         // e.g. "px", "steps"; empty when unitless
    ParamValue defaultValue;
    std::optional<double> minimum;  // Int/Float only
    std::optional<double> maximum;
    double step = 0;                // 0: let the UI choose
    std::vector<std::string> choices;  // Choice only

    // Builders for family schemas: ParamSpec::integer("steps", "Steps", 1, 1000, 20).
    static ParamSpec integer(std::string name, std::string label, std::int64_t minimum, std::int64_t maximum,
                             std::int64_t defaultValue, std::string unit = {}, std::string description = {});
    static ParamSpec number(std::string name, std::string label, double minimum, double maximum,
                            double defaultValue, double step = 0, std::string description = {});
    static ParamSpec boolean(std::string name, std::string label, bool defaultValue, std::string description = {});
    static ParamSpec text(std::string name, std::string label, std::string defaultValue,
                          std::string description = {});
};

using ParamSchema = std::vector<ParamSpec>;

// Validates `values` against `schema`: fills defaults, converts ints to floats
// where the schema wants a float, and throws Error(BadArgument) naming the
// parameter on unknown names, wrong types or out-of-range values.
ParamMap validateParams(const ParamSchema& schema, const ParamMap& values);

// Parses "name=value" text (CLI --set) into a value of the spec's type.
ParamValue parseParamText(const ParamSpec& spec, const std::string& text);

}  // namespace latent
