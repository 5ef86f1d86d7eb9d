#include "latent/ParamSpec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "latent/Error.h"

namespace latent {
namespace {

std::string knownNames(const ParamSchema& schema) {
    std::string out;
    for (const auto& s : schema) out += (out.empty() ? "" : ", ") + s.name;
    return out.empty() ? "none" : out;
}

[[noreturn]] void bad(const std::string& message) { throw Error(ErrorKind::BadArgument, message); }

std::string rangeText(const ParamSpec& spec) {
    std::string lo = spec.minimum ? paramValueToString(*spec.minimum) : "-inf";
    std::string hi = spec.maximum ? paramValueToString(*spec.maximum) : "inf";
    return "[" + lo + ", " + hi + "]";
}

void checkRange(const ParamSpec& spec, double v, const ParamValue& shown) {
    if ((spec.minimum && v < *spec.minimum) || (spec.maximum && v > *spec.maximum))
        bad("parameter '" + spec.name + "' = " + paramValueToString(shown) + " is out of range " +
            rangeText(spec) + (spec.unit.empty() ? "" : " " + spec.unit));
}

ParamValue coerce(const ParamSpec& spec, const ParamValue& value) {
    switch (spec.type) {
    case ParamType::Int: {
        std::int64_t v = 0;
        if (const auto* i = std::get_if<std::int64_t>(&value)) {
            v = *i;
        } else if (const auto* d = std::get_if<double>(&value);
                   d && std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 9e15) {
            v = static_cast<std::int64_t>(*d);
        } else {
            bad("parameter '" + spec.name + "' must be a whole number, got '" +
                paramValueToString(value) + "'");
        }
        checkRange(spec, double(v), std::int64_t(v));
        return v;
    }
    case ParamType::Float: {
        double v = 0;
        if (const auto* d = std::get_if<double>(&value)) v = *d;
        else if (const auto* i = std::get_if<std::int64_t>(&value)) v = double(*i);
        else bad("parameter '" + spec.name + "' must be a number, got '" + paramValueToString(value) + "'");
        if (!std::isfinite(v)) bad("parameter '" + spec.name + "' must be a finite number");
        checkRange(spec, v, v);
        return v;
    }
    case ParamType::Bool:
        if (const auto* b = std::get_if<bool>(&value)) return *b;
        bad("parameter '" + spec.name + "' must be true or false, got '" + paramValueToString(value) + "'");
    case ParamType::Choice: {
        const auto* s = std::get_if<std::string>(&value);
        if (s && std::find(spec.choices.begin(), spec.choices.end(), *s) != spec.choices.end()) return *s;
        std::string list;
        for (const auto& c : spec.choices) list += (list.empty() ? "" : ", ") + c;
        bad("parameter '" + spec.name + "' must be one of: " + list + "; got '" +
            paramValueToString(value) + "'");
    }
    case ParamType::String:
        if (const auto* s = std::get_if<std::string>(&value)) return *s;
        return paramValueToString(value);
    case ParamType::Invalid: break;
    }
    bad("parameter '" + spec.name + "' has no valid type in its schema");
}

}  // namespace

ParamSpec ParamSpec::integer(std::string name, std::string label, std::int64_t minimum, std::int64_t maximum,
                             std::int64_t defaultValue, std::string unit, std::string description) {
    ParamSpec p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.type = ParamType::Int;
    p.minimum = double(minimum);
    p.maximum = double(maximum);
    p.defaultValue = defaultValue;
    p.unit = std::move(unit);
    p.description = std::move(description);
    return p;
}

ParamSpec ParamSpec::number(std::string name, std::string label, double minimum, double maximum,
                            double defaultValue, double step, std::string description) {
    ParamSpec p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.type = ParamType::Float;
    p.minimum = minimum;
    p.maximum = maximum;
    p.defaultValue = defaultValue;
    p.step = step;
    p.description = std::move(description);
    return p;
}

ParamSpec ParamSpec::boolean(std::string name, std::string label, bool defaultValue, std::string description) {
    ParamSpec p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.type = ParamType::Bool;
    p.defaultValue = defaultValue;
    p.description = std::move(description);
    return p;
}

ParamSpec ParamSpec::text(std::string name, std::string label, std::string defaultValue, std::string description) {
    ParamSpec p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.type = ParamType::String;
    p.defaultValue = std::move(defaultValue);
    p.description = std::move(description);
    return p;
}

ParamMap validateParams(const ParamSchema& schema, const ParamMap& values) {
    for (const auto& [name, value] : values) {
        const bool known = std::any_of(schema.begin(), schema.end(),
                                       [&](const ParamSpec& s) { return s.name == name; });
        if (!known) bad("unknown parameter '" + name + "' (known: " + knownNames(schema) + ")");
    }
    ParamMap out;
    for (const auto& spec : schema) {
        auto it = values.find(spec.name);
        out[spec.name] = coerce(spec, it != values.end() ? it->second : spec.defaultValue);
    }
    return out;
}

ParamValue parseParamText(const ParamSpec& spec, const std::string& text) {
    switch (spec.type) {
    case ParamType::Int: {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size() || text.empty())
            bad("parameter '" + spec.name + "' must be a whole number, got '" + text + "'");
        return v;
    }
    case ParamType::Float: {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size())
            bad("parameter '" + spec.name + "' must be a number, got '" + text + "'");
        return v;
    }
    case ParamType::Bool:
        if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
        if (text == "false" || text == "0" || text == "no" || text == "off") return false;
        bad("parameter '" + spec.name + "' must be true or false, got '" + text + "'");
    case ParamType::Choice:
    case ParamType::String:
        return text;
    case ParamType::Invalid: break;
    }
    bad("parameter '" + spec.name + "' has no valid type in its schema");
}

}  // namespace latent
