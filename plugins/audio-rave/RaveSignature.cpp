#include "RaveSignature.h"

#include "latent/Error.h"
#include "latent/formats/Json.h"

namespace latent {
namespace {

bool hasMethod(const torch::jit::Module& m, const char* name) { return m.find_method(name).has_value(); }

// `<method>_params`: four positive integers, or a description of what is wrong.
std::optional<RaveMethod> readParams(const torch::jit::Module& m, const std::string& method, std::string& problem) {
    const std::string buffer = method + "_params";
    if (!m.hasattr(buffer)) {
        problem = "the '" + buffer + "' buffer";
        return std::nullopt;
    }
    const auto value = m.attr(buffer);
    if (!value.isTensor() || value.toTensor().numel() != 4) {
        problem = "a '" + buffer + "' of four numbers [in_channels, in_ratio, out_channels, out_ratio]";
        return std::nullopt;
    }
    const auto t = value.toTensor().to(at::kCPU, at::kLong).contiguous();
    const std::int64_t* p = t.data_ptr<std::int64_t>();
    for (int i = 0; i < 4; ++i)
        if (p[i] < 1 || p[i] > (1 << 20)) {
            problem = "positive values in '" + buffer + "' (it holds " + std::to_string(p[i]) + ")";
            return std::nullopt;
        }
    return RaveMethod{int(p[0]), int(p[1]), int(p[2]), int(p[3])};
}

nlohmann::json methodJson(const RaveMethod& m) { return {m.inChannels, m.inRatio, m.outChannels, m.outRatio}; }

RaveMethod methodFromJson(const JsonReader& r, const char* field) {
    const JsonReader a = r.array(field);
    if (a.size() != 4) r.fail(field, "must be [in_channels, in_ratio, out_channels, out_ratio]");
    return RaveMethod{int(a.at(0).asInteger(1, 1 << 20)), int(a.at(1).asInteger(1, 1 << 20)),
                      int(a.at(2).asInteger(1, 1 << 20)), int(a.at(3).asInteger(1, 1 << 20))};
}

bool looksStreaming(const torch::jit::Module& m) {
    for (const auto& b : m.named_buffers(true))
        if (isStreamingStateBuffer(b.name)) return true;
    return false;
}

}  // namespace

// cached_conv names its state buffers "pad" (and some exports "*cache*").
bool isStreamingStateBuffer(const std::string& name) {
    const auto dot = name.rfind('.');
    const std::string leaf = dot == std::string::npos ? name : name.substr(dot + 1);
    return leaf == "pad" || leaf.find("cache") != std::string::npos;
}

nlohmann::json RaveSignature::toJson() const {
    nlohmann::json j = {{"sample_rate_hz", sampleRateHz},
                        {"encode_params", methodJson(encode)},
                        {"decode_params", methodJson(decode)},
                        {"streaming", streaming}};
    if (prior) j["prior_params"] = methodJson(*prior);
    return j;
}

RaveSignature RaveSignature::fromJson(const nlohmann::json& j, const std::string& where) {
    const JsonReader r(j, where, ErrorKind::ModelPackage, "config");
    RaveSignature s;
    s.sampleRateHz = int(r.integer("sample_rate_hz", 1000, 768000));
    s.encode = methodFromJson(r, "encode_params");
    s.decode = methodFromJson(r, "decode_params");
    if (r.has("prior_params")) s.prior = methodFromJson(r, "prior_params");
    s.streaming = r.boolean("streaming", false);
    return s;
}

std::optional<RaveSignature> readRaveSignature(const torch::jit::Module& m, const std::string& name) {
    const bool encode = hasMethod(m, "encode"), decode = hasMethod(m, "decode");
    if (!encode && !decode) return std::nullopt;
    std::vector<std::string> missing;
    if (!encode) missing.push_back("an exported 'encode' method");
    if (!decode) missing.push_back("an exported 'decode' method");
    RaveSignature s;
    std::string problem;
    if (auto p = readParams(m, "encode", problem)) s.encode = *p;
    else missing.push_back(problem);
    problem.clear();
    if (auto p = readParams(m, "decode", problem)) s.decode = *p;
    else missing.push_back(problem);
    if (!m.hasattr("sr")) {
        missing.push_back("the 'sr' attribute (its sample rate)");
    } else {
        const auto sr = m.attr("sr");
        const std::int64_t rate = sr.isInt() ? sr.toInt() : sr.isTensor() && sr.toTensor().numel() == 1
                                                                ? sr.toTensor().item<std::int64_t>()
                                                                : 0;
        if (rate < 1000 || rate > 768000) missing.push_back("an 'sr' between 1000 and 768000 Hz");
        s.sampleRateHz = int(rate);
    }
    const auto list = [&] {
        std::string text;
        for (std::size_t i = 0; i < missing.size(); ++i)
            text += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
        return text;
    };
    if (!missing.empty())
        throw Error(ErrorKind::Format, name + " is not a RAVE / nn~ export: it lacks " + list());
    // The two methods must agree with each other as RAVE's export makes them.
    if (s.encode.inRatio != 1 || s.decode.outRatio != 1)
        missing.push_back("encode to take and decode to return audio at the sample rate (ratio 1)");
    if (s.encode.outChannels != s.decode.inChannels)
        missing.push_back("decode to take the " + std::to_string(s.encode.outChannels) +
                          " latent channels encode returns (it takes " + std::to_string(s.decode.inChannels) + ")");
    if (s.encode.outRatio != s.decode.inRatio)
        missing.push_back("encode and decode to share one latent rate (ratios " + std::to_string(s.encode.outRatio) +
                          " and " + std::to_string(s.decode.inRatio) + ")");
    if (s.decode.outChannels > 2 || s.encode.inChannels > 2)
        missing.push_back("mono or stereo audio (it declares " + std::to_string(s.decode.outChannels) + " channels)");
    if (!missing.empty()) throw Error(ErrorKind::Format, name + " does not follow the nn~ convention: it needs " + list());
    if (hasMethod(m, "prior")) {
        problem.clear();
        auto p = readParams(m, "prior", problem);
        if (p && p->outChannels == s.latentDims() && p->outRatio == s.hop()) s.prior = *p;
    }
    s.streaming = looksStreaming(m);
    return s;
}

}  // namespace latent
