// Parameter schema validation and text parsing.
#include <gtest/gtest.h>

#include <cmath>

#include "latent/Error.h"
#include "latent/ParamSpec.h"
#include "latent/Provenance.h"

using namespace latent;

namespace {

ParamSpec spec(const char* name, ParamType type, ParamValue def, std::optional<double> lo = {},
              std::optional<double> hi = {}) {
    ParamSpec s;
    s.name = name;
    s.type = type;
    s.defaultValue = std::move(def);
    s.minimum = lo;
    s.maximum = hi;
    return s;
}

ParamSchema schema() {
    ParamSpec steps = spec("steps", ParamType::Int, std::int64_t(10), 1.0, 100.0);
    ParamSpec temp = spec("temperature", ParamType::Float, 1.0, 0.0, 2.0);
    ParamSpec flag = spec("flip", ParamType::Bool, false);
    ParamSpec mode = spec("mode", ParamType::Choice, std::string("linear"));
    mode.choices = {"linear", "spherical"};
    return {steps, temp, flag, mode};
}

std::string error(const ParamMap& values) {
    try {
        validateParams(schema(), values);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Params, FillsDefaultsAndCoercesIntToFloat) {
    auto v = validateParams(schema(), {{"temperature", std::int64_t(1)}});
    EXPECT_EQ(std::get<std::int64_t>(v["steps"]), 10);
    EXPECT_EQ(std::get<double>(v["temperature"]), 1.0);
    EXPECT_EQ(std::get<std::string>(v["mode"]), "linear");
    v = validateParams(schema(), {{"steps", 20.0}});
    EXPECT_EQ(std::get<std::int64_t>(v["steps"]), 20);
}

TEST(Params, RejectsWithMessagesNamingTheParameter) {
    EXPECT_NE(error({{"steps", std::int64_t(0)}}).find("'steps' = 0 is out of range [1, 100]"), std::string::npos);
    EXPECT_NE(error({{"steps", 2.5}}).find("whole number"), std::string::npos);
    EXPECT_NE(error({{"temperature", std::nan("")}}).find("finite"), std::string::npos);
    EXPECT_NE(error({{"temperature", 1e308}}).find("out of range"), std::string::npos);
    EXPECT_NE(error({{"flip", std::int64_t(1)}}).find("true or false"), std::string::npos);
    EXPECT_NE(error({{"mode", std::string("cubic")}}).find("one of: linear, spherical"), std::string::npos);
    EXPECT_NE(error({{"stpes", std::int64_t(1)}}).find("unknown parameter 'stpes'"), std::string::npos);
}

TEST(Params, ParsesTextOfEachType) {
    auto s = schema();
    EXPECT_EQ(std::get<std::int64_t>(parseParamText(s[0], "42")), 42);
    EXPECT_THROW(parseParamText(s[0], "42x"), Error);
    EXPECT_THROW(parseParamText(s[0], ""), Error);
    EXPECT_EQ(std::get<double>(parseParamText(s[1], "0.25")), 0.25);
    EXPECT_THROW(parseParamText(s[1], "warm"), Error);
    EXPECT_EQ(std::get<bool>(parseParamText(s[2], "yes")), true);
    EXPECT_THROW(parseParamText(s[2], "maybe"), Error);
    EXPECT_EQ(std::get<std::string>(parseParamText(s[3], "spherical")), "spherical");
}

TEST(Params, ValueTextRoundTripsDoubles) {
    EXPECT_EQ(paramValueToString(0.1), "0.1");
    EXPECT_EQ(std::stod(paramValueToString(1.0 / 3.0)), 1.0 / 3.0);
    EXPECT_EQ(paramValueToString(std::int64_t(-5)), "-5");
}

TEST(Provenance, JsonRoundTrip) {
    Provenance p;
    p.modelId = "m";
    p.modelSha256 = std::string(64, 'a');
    p.seed = 4294967295u;
    p.params = {{"steps", std::int64_t(3)}, {"t", 0.5}, {"flip", true}, {"mode", std::string("x")}};
    p.device = "cpu";
    auto q = provenanceFromJson(provenanceToJson(p));
    EXPECT_EQ(q.modelId, "m");
    EXPECT_EQ(q.seed, p.seed);
    EXPECT_EQ(q.params, p.params);
    EXPECT_TRUE(q.latent.empty());
    EXPECT_THROW(provenanceFromJson("{"), Error);
}

TEST(Provenance, LatentEditsRoundTripExactly) {
    Provenance p;
    p.modelId = "vae";
    p.latent = {0.1f, -2.5f, 1e-7f, 3.4028235e38f};
    p.latentBase = {0.0f, -2.0f, 0.0f, 1.0f};
    p.sliders = {{"PC1", 1.25}, {"sneaker ↔ ankle boot", -0.5}};
    auto q = provenanceFromJson(provenanceToJson(p));
    EXPECT_EQ(q.latent, p.latent);  // floats survive the JSON text bit for bit
    EXPECT_EQ(q.latentBase, p.latentBase);
    EXPECT_EQ(q.sliders, p.sliders);
}
